// The ClickHouse sink against a real clickhouse-server (Debian 18.16) on loopback: schema and views, an
// upgrade from the first schema, sending only what changed, an outage with the back-off honoured and the
// probe ending it, a full spool whose evidence and refused signals come back from the local store, and
// heartbeats.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import type { Signal } from '../../agent/model.js';
import { MIGRATIONS, serverInfo, settingsFor } from '../../agent/sinks/clickhouse/schema.js';
import { clickhouseClient, ClickHouseSink, type ShipOptions } from '../../agent/sinks/clickhouse/sink.js';
import { LocalStore } from '../../agent/store/local-store.js';
import { tempDir } from '../helpers/agent.js';
import { queryRows, startClickHouse, type TestClickHouse } from '../helpers/clickhouse.js';
import { scanSignals } from '../helpers/run.js';
import { waitFor } from '../helpers/wait.js';

let ch: TestClickHouse;
let sample: Signal[] = [];
beforeAll(async () => {
  ch = await startClickHouse();
  sample = await scanSignals([join(import.meta.dirname, '..', 'fixtures', 'scenarios', 'benign-week', 'input.log')], { year: '2026', timezone: 'UTC' });
}, 60_000);
afterAll(async () => { await ch.stop(); });

const log = (): void => undefined;
const evidenceOf = (signals: Signal[]): number => signals.reduce((k, s) => k + s.evidence.length, 0);
let dbn = 0;
function setup(over: Record<string, unknown> = {}, opts: ShipOptions = {}) {
  const database = `t${++dbn}`;
  const cfg = makeConfig({ clickhouse: { enabled: true, url: ch.url, database, tenant: 'acme', flush_seconds: 1, probe_seconds: 1, ...over } });
  const stateDir = tempDir('sentra-ship-');
  return { cfg, stateDir, database, sink: new ClickHouseSink(cfg.clickhouse, stateDir, 400, log, opts) };
}

const rows = (sql: string): Promise<Array<Record<string, unknown>>> => queryRows({ url: ch.url }, sql);
const count = async (sql: string): Promise<number> => Number((await rows(sql))[0]!.n);

describe('ClickHouse sink', () => {
  it('creates the schema and the *_latest views, and inserts signals with their evidence', async () => {
    const { sink, database } = setup();
    sink.enqueue(sample);
    expect(await sink.drain()).toBe(true);
    expect(await count(`SELECT count() AS n FROM ${database}.signals_latest`)).toBe(sample.length);
    expect(await count(`SELECT count() AS n FROM ${database}.evidence_latest`)).toBe(evidenceOf(sample));
    expect((await rows(`SELECT version FROM ${database}.sentra_migrations ORDER BY version`)).map((r) => r.version)).toEqual([1, 2, 3]);
    const s = sample[0]!;
    const one = (await rows(`SELECT tenant, band, mitre, toUnixTimestamp(first_seen) AS t FROM ${database}.signals_latest WHERE id = '${s.id}'`))[0]!;
    expect(one).toMatchObject({ tenant: 'acme', band: s.band, mitre: s.mitre });
    expect(Number(one.t)).toBe(Date.parse(s.first_seen) / 1000 | 0);
    expect(sink.stats.server_version).toBe('18.16.1');
    // A newer version: the table holds both until a merge, the view only the newer.
    sink.enqueue([{ ...s, count: s.count + 5, band: 'high' }], () => s);
    await sink.drain();
    expect(await count(`SELECT count() AS n FROM ${database}.signals WHERE id = '${s.id}'`)).toBe(2);
    expect(await rows(`SELECT count, band FROM ${database}.signals_latest WHERE id = '${s.id}'`)).toEqual([{ count: String(s.count + 5), band: 'high' }]);
  }, 30_000);

  it('upgrades a database made by the first schema, keeping its rows', async () => {
    const database = `t${++dbn}`;
    const c = clickhouseClient(makeConfig({ clickhouse: { url: ch.url } }).clickhouse);
    const info = serverInfo('18.16.1');
    await c.command({ query: `CREATE DATABASE ${database}` });
    await c.command({ query: `CREATE TABLE ${database}.sentra_migrations (version UInt32, describe String, applied_at DateTime) ENGINE = MergeTree ORDER BY version` });
    for (const step of MIGRATIONS[0]!.steps(database, info, 400)) if ('sql' in step) await c.command({ query: step.sql, clickhouse_settings: settingsFor(info) });
    await c.command({ query: `INSERT INTO ${database}.sentra_migrations VALUES (1, 'v1', now())` });
    await c.command({ query: `INSERT INTO ${database}.signals (tenant, host, id, version, kind) VALUES ('acme', 'old-01', 'oldoldoldold', 1, 'remote-login')` });
    await c.close();
    const cfg = makeConfig({ clickhouse: { url: ch.url, database, tenant: 'acme' } });
    const sink = new ClickHouseSink(cfg.clickhouse, tempDir('sentra-ship-'), 400, log);
    sink.enqueue(sample.slice(0, 3));
    expect(await sink.drain()).toBe(true);
    expect((await rows(`SELECT version FROM ${database}.sentra_migrations ORDER BY version`)).map((r) => r.version)).toEqual([1, 2, 3]);
    expect(await rows(`SELECT host, accounts FROM ${database}.signals_latest WHERE id = 'oldoldoldold'`)).toEqual([{ host: 'old-01', accounts: [] }]);
    expect(await count(`SELECT count() AS n FROM ${database}.signals_latest`)).toBe(4);
  }, 30_000);

  it('sends only the evidence that changed since the version before', async () => {
    const { sink, database } = setup();
    const s = sample.find((x) => x.evidence.length >= 3)!;
    const v1 = { ...s, evidence: s.evidence.slice(0, 2) };
    sink.enqueue([v1]);
    await sink.drain();
    const before = sink.stats.sent_evidence;
    const v2 = { ...s, count: s.count + 1, evidence: s.evidence.slice(0, 3) };
    sink.enqueue([v2], () => v1);
    await sink.drain();
    expect(sink.stats.sent_evidence - before).toBe(1);
    expect(await count(`SELECT count() AS n FROM ${database}.evidence_latest WHERE signal_id = '${s.id}'`)).toBe(3);
  }, 30_000);

  it('honours the back-off while busy, ends it by probe when the server is back, and sends each signal once', async () => {
    // A first wait of at least five minutes: only the probe can end it within this test.
    const { sink, database } = setup({}, { backoff: { baseMs: 600_000, maxMs: 600_000 } });
    sink.start();
    await ch.stop();
    const part = sample.slice(0, 5);
    sink.enqueue(part);
    await waitFor(() => sink.stats.failures > 0, 'a failed send', 15_000);
    const failures = sink.stats.failures;
    for (let v = 1; v <= 2; v++) {
      for (let i = 0; i < 10; i++) {
        sink.enqueue(part.map((s) => ({ ...s, count: s.count + v })));
        await new Promise((r) => setImmediate(r));
      }
    }
    expect(sink.stats.failures).toBe(failures); // new signals did not cut the back-off short
    await ch.start();
    await waitFor(() => sink.stats.spool.records === 0, 'the probe to find the server and the spool to drain', 60_000);
    await sink.stop();
    expect(sink.stats.failures).toBe(failures);
    expect(sink.stats.sent_signals).toBe(5); // 105 versions spooled, the newest of each sent
    expect(sink.stats.skipped_superseded).toBe(100);
    expect(await rows(`SELECT id, count FROM ${database}.signals_latest ORDER BY id`))
      .toEqual(part.map((s) => ({ id: s.id, count: String(s.count + 2) })).sort((a, b) => (a.id < b.id ? -1 : 1)));
  }, 90_000);

  it('past a full spool, brings the owed evidence and the refused signals back from the local store', async () => {
    const stateDir = tempDir('sentra-ship-');
    const store = new LocalStore(stateDir, { retention_days: 4000, max_mb: 100 });
    const database = `t${++dbn}`;
    const cfg = makeConfig({ clickhouse: { url: ch.url, database, tenant: 'acme', spool_max_mb: 0.012 } });
    const sink = new ClickHouseSink(cfg.clickhouse, stateDir, 4000, log,
      { store: { latest: (ids) => store.latest(ids), since: (ms) => store.query({ since: ms }) } });
    await ch.stop();
    // Fewest lines first: the small signals fill the spool, the larger ones then leave their evidence
    // in the local store, and the last ones find no room at all.
    for (const s of [...sample].sort((a, b) => a.evidence.length - b.evidence.length || (a.id < b.id ? -1 : 1))) {
      sink.enqueue([s], (id) => store.previous(id));
      store.append([s]);
    }
    expect(sink.stats.spool.evidence_owed).toBeGreaterThan(0);
    expect(sink.stats.spool.refused).toBeGreaterThan(0);
    expect(sink.stats.spool.bytes).toBeLessThanOrEqual(0.012 * 1024 * 1024);
    expect(await sink.drain()).toBe(false);
    await ch.start();
    expect(await sink.drain()).toBe(true);
    expect(sink.stats.overflow).toBeNull();
    expect(await count(`SELECT count() AS n FROM ${database}.signals_latest`)).toBe(sample.length);
    expect(await count(`SELECT count() AS n FROM ${database}.evidence_latest`)).toBe(evidenceOf(sample));
    expect(sink.stats.evidence_lost).toBe(0);
  }, 60_000);

  it('writes a heartbeat row per interval with the host, its progress and the spool', async () => {
    const now = Date.parse('2026-03-02T10:00:00Z');
    let t = now;
    const { sink, database } = setup({ heartbeat_seconds: 60 }, {
      now: () => t,
      heartbeat: () => ({ host: 'web-01', state: 'running', last_event: now - 5000, lag_seconds: 2 }),
    });
    await sink.drain();
    t += 30_000;
    await sink.drain(); // not due yet
    t += 31_000;
    await sink.drain();
    expect(sink.stats.heartbeats).toBe(2);
    expect(await rows(`SELECT tenant, host, toUnixTimestamp(at) AS at, state, toUnixTimestamp(last_event) AS le, lag_seconds FROM ${database}.heartbeats_latest`))
      .toEqual([{ tenant: 'acme', host: 'web-01', at: (now + 61_000) / 1000, state: 'running', le: (now - 5000) / 1000, lag_seconds: 2 }]);
  }, 30_000);
});
