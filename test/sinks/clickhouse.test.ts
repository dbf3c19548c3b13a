// The ClickHouse sink against a real clickhouse-server (Debian 18.16) on loopback: schema, inserts, a
// growing signal, idempotent resends, the server going away mid-stream, and a full spool.
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import type { Signal } from '../../agent/model.js';
import { clickhouseClient, ClickHouseSink } from '../../agent/sinks/clickhouse/sink.js';
import { tempDir } from '../helpers/agent.js';
import { startClickHouse, type TestClickHouse } from '../helpers/clickhouse.js';
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
let dbn = 0;
function setup(over: Record<string, unknown> = {}) {
  const database = `t${++dbn}`;
  const cfg = makeConfig({ clickhouse: { enabled: true, url: ch.url, database, tenant: 'acme', flush_seconds: 1, ...over } });
  const stateDir = tempDir('sentra-ship-');
  return { cfg, stateDir, database, sink: new ClickHouseSink(cfg.clickhouse, stateDir, 400, log) };
}

async function rows(sql: string): Promise<Array<Record<string, unknown>>> {
  const c = clickhouseClient(makeConfig({ clickhouse: { url: ch.url } }).clickhouse);
  try {
    return await (await c.query({ query: sql, format: 'JSONEachRow' })).json<Record<string, unknown>>();
  } finally {
    await c.close();
  }
}

describe('ClickHouse sink', () => {
  it('creates the schema once and inserts signals and their evidence', async () => {
    const { sink, database } = setup();
    sink.enqueue(sample);
    expect(await sink.drain()).toBe(true);
    const [{ n }] = await rows(`SELECT count() AS n FROM ${database}.signals FINAL`) as Array<{ n: string }>;
    expect(Number(n)).toBe(sample.length);
    const [{ e }] = await rows(`SELECT count() AS e FROM ${database}.evidence FINAL`) as Array<{ e: string }>;
    expect(Number(e)).toBe(sample.reduce((k, s) => k + s.evidence.length, 0));
    const migrations = await rows(`SELECT version FROM ${database}.sentra_migrations`);
    expect(migrations).toHaveLength(1);
    const one = (await rows(`SELECT tenant, band, mitre, src_ips, toUnixTimestamp(first_seen) AS t FROM ${database}.signals FINAL WHERE id = '${sample[0]!.id}'`))[0]!;
    expect(one).toMatchObject({ tenant: 'acme', band: sample[0]!.band, mitre: sample[0]!.mitre });
    expect(Number(one.t)).toBe(Date.parse(sample[0]!.first_seen) / 1000 | 0);
    expect(sink.stats.server_version).toBe('18.16.1');
  }, 30_000);

  it('keeps the latest version of a growing signal, and a resent batch adds no visible duplicate', async () => {
    const { sink, database, stateDir } = setup();
    const s = sample[0]!;
    sink.enqueue([{ ...s, count: 1 }]);
    // A crash after sending but before the batch left the spool sends it again: keep a copy to replay.
    const spooled = readdirSync(join(stateDir, 'spool'))[0]!;
    copyFileSync(join(stateDir, 'spool', spooled), join(stateDir, 'copy.json'));
    await sink.drain();
    sink.enqueue([{ ...s, count: 7, band: 'high' }]);
    await sink.drain();
    copyFileSync(join(stateDir, 'copy.json'), join(stateDir, 'spool', spooled));
    await sink.drain();
    const got = await rows(`SELECT count, band FROM ${database}.signals FINAL WHERE id = '${s.id}'`);
    expect(got).toEqual([{ count: '7', band: 'high' }]);
  }, 30_000);

  it('spools while the server is down and sends everything, in order, once it is back', async () => {
    const { sink, database } = setup();
    sink.start();
    sink.enqueue(sample.slice(0, 5));
    await waitFor(() => sink.stats.sent_signals === 5, 'the first batch', 15_000);
    await ch.stop();
    sink.enqueue(sample.slice(5, 10));
    sink.enqueue(sample.slice(10));
    await waitFor(() => sink.stats.failures > 0, 'a failed send', 15_000);
    expect(sink.stats.spool.batches).toBe(2);
    await ch.start();
    await waitFor(() => sink.stats.spool.batches === 0, 'the spool to drain', 60_000);
    await sink.stop();
    const [{ n, ids }] = await rows(`SELECT count() AS n, uniqExact(id) AS ids FROM ${database}.signals FINAL`) as Array<{ n: string; ids: string }>;
    expect([Number(n), Number(ids)]).toEqual([sample.length, sample.length]);
  }, 120_000);

  it('drops the evidence of the oldest batches first when the spool is full, never signals', async () => {
    const { sink, database } = setup({ spool_max_mb: 0.02 });
    await ch.stop();
    for (const s of sample) sink.enqueue([s]);
    expect(sink.stats.spool.dropped_evidence_rows).toBeGreaterThan(0);
    await ch.start();
    expect(await sink.drain()).toBe(true);
    const [{ n }] = await rows(`SELECT count() AS n FROM ${database}.signals FINAL`) as Array<{ n: string }>;
    expect(Number(n)).toBe(sample.length);
    const [{ e }] = await rows(`SELECT count() AS e FROM ${database}.evidence FINAL`) as Array<{ e: string }>;
    expect(Number(e)).toBeLessThan(sample.reduce((k, s) => k + s.evidence.length, 0));
  }, 60_000);
});
