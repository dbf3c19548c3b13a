// agent/sinks/clickhouse/schema.ts: the tables in ClickHouse and their migrations. Idempotent, recorded in
// sentra_migrations, and adapted to the server: LowCardinality and TTL where the version supports them
// (the Debian 18.16 server in the tests has neither TTL nor DateTime64).
//
// Reading the latest version of each signal (ReplacingMergeTree keeps older rows until it merges):
//   SELECT * FROM sentra.signals FINAL WHERE tenant = 'acme'
//   -- or, on large tables: SELECT id, argMax(band, version) AS band, … FROM sentra.signals GROUP BY tenant, host, id
import type { ClickHouseClient } from '@clickhouse/client';

export interface ServerInfo {
  version: string;
  major: number;
  minor: number;
  lowCardinality: boolean;
  ttl: boolean;
}

export function serverInfo(version: string): ServerInfo {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const atLeast = (ma: number, mi: number): boolean => major > ma || (major === ma && minor >= mi);
  return { version, major, minor, lowCardinality: atLeast(18, 12), ttl: atLeast(19, 6) };
}

/** Settings a statement needs on this server (LowCardinality was experimental before 19.x). */
export function settingsFor(info: ServerInfo): Record<string, string> {
  return info.lowCardinality && info.major < 19 ? { allow_experimental_low_cardinality_type: '1' } : {};
}

const lc = (info: ServerInfo): string => (info.lowCardinality ? 'LowCardinality(String)' : 'String');

export interface Migration {
  version: number;
  describe: string;
  statements: (db: string, info: ServerInfo, retentionDays: number) => string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    describe: 'signals and evidence tables',
    statements: (db, info, days) => [
      `CREATE TABLE IF NOT EXISTS ${db}.signals (
        tenant ${lc(info)}, host String, id String, version UInt64, kind ${lc(info)}, title String, intent ${lc(info)},
        first_seen DateTime, last_seen DateTime, count UInt64, entities String, users Array(String), src_ips Array(String),
        rules Array(String), mitre Array(String), soc2 Array(String), iso27001 Array(String), risk Float64, band ${lc(info)},
        factors String, action_required UInt8, explanation String, recommended_action String, suppressed UInt8,
        override_id String, override_reason String, inserted_at DateTime
      ) ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(first_seen) ORDER BY (tenant, host, id)`
        + (info.ttl ? ` TTL last_seen + INTERVAL ${days} DAY` : ''),
      `CREATE TABLE IF NOT EXISTS ${db}.evidence (
        tenant ${lc(info)}, host String, signal_id String, seq UInt16, version UInt64, ts DateTime, source String,
        cursor String, line String
      ) ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(ts) ORDER BY (tenant, host, signal_id, seq)`
        + (info.ttl ? ` TTL ts + INTERVAL ${days} DAY` : ''),
    ],
  },
];

/** Brings the database up to the latest migration; safe to run on every start. */
export async function migrate(client: ClickHouseClient, db: string, info: ServerInfo, retentionDays: number): Promise<number[]> {
  const settings = settingsFor(info);
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await client.command({ query: `CREATE TABLE IF NOT EXISTS ${db}.sentra_migrations (version UInt32, describe String, applied_at DateTime) ENGINE = MergeTree ORDER BY version` });
  const rows = await (await client.query({ query: `SELECT version FROM ${db}.sentra_migrations`, format: 'JSONEachRow' })).json<{ version: number }>();
  const done = new Set(rows.map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    for (const q of m.statements(db, info, retentionDays)) await client.command({ query: q, clickhouse_settings: settings });
    await client.insert({ table: `${db}.sentra_migrations`, format: 'JSONEachRow',
      values: [{ version: m.version, describe: m.describe, applied_at: epoch(new Date().toISOString()) }] });
    applied.push(m.version);
  }
  return applied;
}

/** Seconds since the epoch: DateTime given as a number is UTC whatever the server's zone. */
export function epoch(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
