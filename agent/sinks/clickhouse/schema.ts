// agent/sinks/clickhouse/schema.ts: the tables in ClickHouse and their migrations. Idempotent, recorded in
// sentra_migrations, and adapted to the server: LowCardinality and TTL where the version supports them
// (the Debian 18.16 server in the tests has neither TTL nor DateTime64). Columns are data (tables.ts), so
// the *_latest views and the per-tenant intake (tenant.ts) follow every migration by construction.
//
// Query the views, not the tables: ReplacingMergeTree keeps older versions until it merges, so a plain
// SELECT over-counts. signals_latest, evidence_latest, heartbeats_latest and incidents_latest hold one row per identity
// (tenant, host, id[, seq]) with the columns of its newest version (argMax by version), on any server
// version, without FINAL.
import type { ClickHouseClient } from '@clickhouse/client';
import { EVIDENCE, HEARTBEATS, INCIDENTS, SIGNALS, SIGNALS_V1, columnsSql, latestView, type Table } from './tables.js';

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

/** One step of a migration: a statement, or columns to add when they are missing (safe to repeat). */
export type Step = { sql: string } | { addColumns: Table; names: string[] };

export interface Migration {
  version: number;
  describe: string;
  steps: (db: string, info: ServerInfo, retentionDays: number) => Step[];
}

const views = (db: string): Step[] => [SIGNALS, EVIDENCE, HEARTBEATS].flatMap((t) => [
  { sql: `DROP TABLE IF EXISTS ${db}.${t.name}_latest` },
  { sql: latestView(db, t) },
]);

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    describe: 'signals and evidence tables',
    steps: (db, info, days) => [
      { sql: `CREATE TABLE IF NOT EXISTS ${db}.signals (${columnsSql(SIGNALS_V1, info)})`
        + ` ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(first_seen) ORDER BY (tenant, host, id)`
        + (info.ttl ? ` TTL last_seen + INTERVAL ${days} DAY` : '') },
      { sql: `CREATE TABLE IF NOT EXISTS ${db}.evidence (${columnsSql(EVIDENCE, info)})`
        + ` ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(ts) ORDER BY (tenant, host, signal_id, seq)`
        + (info.ttl ? ` TTL ts + INTERVAL ${days} DAY` : '') },
    ],
  },
  {
    version: 2,
    describe: 'accounts, tried names and per-address outcomes on signals; heartbeats; the *_latest views',
    steps: (db, info) => [
      { addColumns: SIGNALS, names: ['accounts', 'tried_users', 'addr_ips', 'addr_lines', 'addr_outcomes'] },
      { sql: `CREATE TABLE IF NOT EXISTS ${db}.heartbeats (${columnsSql(HEARTBEATS, info)})`
        + ' ENGINE = ReplacingMergeTree(at) ORDER BY (tenant, host)' },
      ...views(db),
    ],
  },
  {
    version: 3,
    describe: 'incidents: signals linked into one story, with their timeline and links; incidents_latest',
    steps: (db, info, days) => [
      { sql: `CREATE TABLE IF NOT EXISTS ${db}.incidents (${columnsSql(INCIDENTS, info)})`
        + ` ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(first_seen) ORDER BY (tenant, id)`
        + (info.ttl ? ` TTL last_seen + INTERVAL ${days} DAY` : '') },
      { sql: `DROP TABLE IF EXISTS ${db}.incidents_latest` },
      { sql: latestView(db, INCIDENTS) },
    ],
  },
];

export const LATEST_MIGRATION = MIGRATIONS.at(-1)!.version;

async function runStep(client: ClickHouseClient, db: string, info: ServerInfo, step: Step): Promise<void> {
  const settings = settingsFor(info);
  if ('sql' in step) {
    await client.command({ query: step.sql, clickhouse_settings: settings });
    return;
  }
  const have = new Set((await (await client.query({
    query: `SELECT name FROM system.columns WHERE database = '${db}' AND table = '${step.addColumns.name}'`, format: 'JSONEachRow',
  })).json<{ name: string }>()).map((r) => r.name));
  const missing = step.addColumns.columns.filter(([name]) => step.names.includes(name) && !have.has(name));
  if (missing.length === 0) return;
  await client.command({ query: `ALTER TABLE ${db}.${step.addColumns.name} ${missing.map((c) => `ADD COLUMN ${columnsSql({ ...step.addColumns, columns: [c] }, info)}`).join(', ')}`,
    clickhouse_settings: settings });
}

/** Brings the database up to the latest migration; safe to run on every start, and after a crash mid-way. */
export async function migrate(client: ClickHouseClient, db: string, info: ServerInfo, retentionDays: number, now: number): Promise<number[]> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await client.command({ query: `CREATE TABLE IF NOT EXISTS ${db}.sentra_migrations (version UInt32, describe String, applied_at DateTime) ENGINE = MergeTree ORDER BY version` });
  const rows = await (await client.query({ query: `SELECT version FROM ${db}.sentra_migrations`, format: 'JSONEachRow' })).json<{ version: number }>();
  const done = new Set(rows.map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    for (const step of m.steps(db, info, retentionDays)) await runStep(client, db, info, step);
    await client.insert({ table: `${db}.sentra_migrations`, format: 'JSONEachRow',
      values: [{ version: m.version, describe: m.describe, applied_at: Math.floor(now / 1000) }] });
    applied.push(m.version);
  }
  return applied;
}

/** Seconds since the epoch: DateTime given as a number is UTC whatever the server's zone. */
export function epoch(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
