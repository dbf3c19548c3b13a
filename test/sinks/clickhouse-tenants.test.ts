// Per-tenant rights against the real clickhouse-server (Debian 18.16, users.xml): a tenant's agent writes
// through its intake database and cannot choose its tenant, read other rows or change the schema; the
// fleet report reads with a read-only user that cannot write.
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import type { Signal } from '../../agent/model.js';
import { clickhouseClient } from '../../agent/sinks/clickhouse/sink.js';
import { tempDir, writeConfig } from '../helpers/agent.js';
import { ROOT, sentra } from '../helpers/cli.js';
import { queryRows, startClickHouse, type TestClickHouse } from '../helpers/clickhouse.js';

const USERS = ['sentra_acme', 'sentra_report'];
const local = '<networks><ip>127.0.0.1</ip></networks><quota>default</quota>';
let ch: TestClickHouse;
let dir: string;
beforeAll(async () => {
  ch = await startClickHouse({
    profiles: '<writer><allow_ddl>0</allow_ddl></writer><reader><readonly>1</readonly></reader>',
    users: `<sentra_acme><password>acme-pw</password>${local}<profile>writer</profile><allow_databases><database>intake_acme</database></allow_databases></sentra_acme>`
      + `<sentra_report><password>report-pw</password>${local}<profile>reader</profile><allow_databases><database>sentra</database></allow_databases></sentra_report>`,
  });
  dir = tempDir('sentra-ch-tenants-');
  for (const u of USERS) {
    writeFileSync(join(dir, `${u}.pw`), u === 'sentra_acme' ? 'acme-pw\n' : 'report-pw\n');
    chmodSync(join(dir, `${u}.pw`), 0o600);
  }
}, 60_000);
afterAll(async () => { await ch.stop(); });

function client(user?: string) {
  return clickhouseClient(makeConfig({ clickhouse: { url: ch.url, ...(user ? { user, password_file: join(dir, `${user}.pw`) } : {}) } }).clickhouse);
}
const rows = (sql: string, user?: string): Promise<Array<Record<string, unknown>>> =>
  queryRows({ url: ch.url, ...(user ? { user, password_file: join(dir, `${user}.pw`) } : {}) }, sql);
async function refused(run: (c: ReturnType<typeof clickhouseClient>) => Promise<unknown>, user: string): Promise<string> {
  const c = client(user);
  try {
    await run(c);
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.close();
  }
}
const config = (name: string, clickhouse: Record<string, unknown>): string => {
  const sub = join(dir, name);
  execFileSync('mkdir', ['-p', sub]);
  return writeConfig(sub, { clickhouse: { enabled: true, url: ch.url, flush_seconds: 1, probe_seconds: 1, ...clickhouse } });
};

describe('per-tenant intake', () => {
  it('prints the intake for review without touching the server', async () => {
    const admin = config('print', { database: 'sentra', tenant: 'acme' });
    const r = sentra(['clickhouse', 'intake', '--config', admin]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CREATE TABLE intake_acme.signals (');
    expect(r.stdout).toContain("CREATE MATERIALIZED VIEW intake_acme.signals_mv TO sentra.signals AS SELECT CAST('acme' AS LowCardinality(String)) AS tenant, host, id,");
    expect(r.stdout).toMatch(/<allow_databases><database>intake_acme<\/database><\/allow_databases>/);
    expect(await rows("SELECT count() AS n FROM system.databases WHERE name IN ('sentra', 'intake_acme')")).toEqual([{ n: '0' }]);
    const json = JSON.parse(sentra(['clickhouse', 'intake', '--config', admin, '--tenant', 'globex.eu', '--format', 'json']).stdout);
    expect(json).toMatchObject({ tenant: 'globex.eu', database: 'intake_globex_eu', applied: false });
    expect(json.statements.length).toBe(13);
  });

  it('lands a tenant\'s rows as that tenant whatever it claims, and refuses its reads, writes elsewhere and DDL', async () => {
    const admin = config('admin', { database: 'sentra', tenant: 'acme' });
    const applied = sentra(['clickhouse', 'intake', '--config', admin, '--apply']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);

    const log = join(dir, 'auth.log');
    execFileSync(process.execPath, [join(ROOT, '..', 'shared', 'tools', 'gen-authlog.mjs'), '--lines', '4000', '--seed', '21',
      '--start', '2026-02-01T00:00:00Z', '--rfc3339', '--out', log]);
    // The tenant's agent claims to be globex: the server decides it is acme.
    const writer = config('writer', { user: 'sentra_acme', password_file: join(dir, 'sentra_acme.pw'), database: 'intake_acme',
      migrate: false, tenant: 'globex' });
    const scan = sentra(['scan', '--config', writer, '--clickhouse', '--format', 'jsonl', log]);
    expect(scan.stderr).toContain('shipped');
    expect(scan.code).toBe(0);
    const signals = scan.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Signal);
    expect(signals.length).toBeGreaterThanOrEqual(3);

    expect(await rows('SELECT tenant, count() AS n FROM sentra.signals_latest GROUP BY tenant')).toEqual([{ tenant: 'acme', n: String(signals.length) }]);
    const evidence = signals.reduce((k, s) => k + s.evidence.length, 0);
    expect(await rows('SELECT tenant, count() AS n FROM sentra.evidence_latest GROUP BY tenant')).toEqual([{ tenant: 'acme', n: String(evidence) }]);
    // The intake keeps nothing: there is nothing of anyone's to read back through it.
    expect(await rows('SELECT count() AS n FROM intake_acme.signals', 'sentra_acme')).toEqual([{ n: '0' }]);

    expect(await refused((c) => c.query({ query: 'SELECT count() FROM sentra.signals' }), 'sentra_acme')).toMatch(/access|not allowed|denied/i);
    expect(await refused((c) => c.insert({ table: 'sentra.heartbeats', format: 'JSONEachRow', values: [{ tenant: 'globex', host: 'x' }] }),
      'sentra_acme')).toMatch(/access|not allowed|denied/i);
    expect(await refused((c) => c.command({ query: 'DROP TABLE intake_acme.signals_mv' }), 'sentra_acme')).toMatch(/DDL|not allowed|denied/i);
    expect(await rows("SELECT count() AS n FROM system.tables WHERE database = 'intake_acme' AND name = 'signals_mv'")).toEqual([{ n: '1' }]);
  }, 120_000);

  it('runs the fleet report with a read-only user that cannot write', async () => {
    const reader = config('reader', { user: 'sentra_report', password_file: join(dir, 'sentra_report.pw'), database: 'sentra', migrate: false });
    const r = sentra(['report', 'fleet', '--config', reader, '--since', '2026-01-01', '--until', '2026-03-01', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.stringify(JSON.parse(r.stdout))).toContain('"acme"');
    expect(await refused((c) => c.insert({ table: 'sentra.heartbeats', format: 'JSONEachRow', values: [{ tenant: 'acme', host: 'x' }] }),
      'sentra_report')).toMatch(/readonly|read-only|cannot/i);
    expect(await refused((c) => c.query({ query: 'SELECT count() FROM intake_acme.signals' }), 'sentra_report')).toMatch(/access|not allowed|denied/i);
  }, 60_000);
});
