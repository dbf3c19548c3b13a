// Incidents in ClickHouse (real clickhouse-server on loopback): the incidents table and incidents_latest view,
// a grown version replacing the first, and the same delivery guarantee as signals: spooled durably while
// ClickHouse is away, sent after a restart.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import type { Incident, Signal } from '../../agent/model.js';
import { ClickHouseSink } from '../../agent/sinks/clickhouse/sink.js';
import { tempDir } from '../helpers/agent.js';
import { queryRows, startClickHouse, type TestClickHouse } from '../helpers/clickhouse.js';
import { scanIncidents, scanSignals } from '../helpers/run.js';

let ch: TestClickHouse;
let signals: Signal[] = [];
let incidents: Incident[] = [];
const log = (): void => undefined;
beforeAll(async () => {
  ch = await startClickHouse();
  const file = join(import.meta.dirname, '..', 'fixtures', 'incidents', 'one-chain', 'input.log');
  signals = await scanSignals([file], { year: '2026', timezone: 'UTC' });
  incidents = await scanIncidents([file], { year: '2026', timezone: 'UTC' });
}, 60_000);
afterAll(async () => { await ch.stop(); });

const rows = (sql: string): Promise<Array<Record<string, unknown>>> => queryRows({ url: ch.url }, sql);

describe('ClickHouse incidents', () => {
  it('stores incidents beside their signals, one row per incident in incidents_latest, updated when it grows', async () => {
    const cfg = makeConfig({ clickhouse: { enabled: true, url: ch.url, database: 'inc1', tenant: 'acme' } });
    const sink = new ClickHouseSink(cfg.clickhouse, tempDir('sentra-ship-'), 400, log);
    const first = { ...incidents[0]!, signals: incidents[0]!.signals.slice(0, 3), timeline: incidents[0]!.timeline.slice(0, 3) };
    sink.enqueue(signals);
    sink.enqueueIncidents([first]);
    expect(await sink.drain()).toBe(true);
    sink.enqueueIncidents(incidents);
    expect(await sink.drain()).toBe(true);
    await sink.stop();
    const got = await rows('SELECT id, tenant, hosts, accounts, addresses, signals, band, timeline FROM inc1.incidents_latest');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ id: incidents[0]!.id, tenant: 'acme', hosts: ['db-02'], accounts: ['backup', 'sysadm'], addresses: ['198.51.100.77'], band: 'high' });
    expect(got[0]!.signals).toHaveLength(9);
    expect((JSON.parse(String(got[0]!.timeline)) as unknown[]).length).toBe(9);
    // Every signal an incident names is in the signals table.
    const ids = (await rows('SELECT id FROM inc1.signals_latest')).map((r) => r.id);
    for (const id of got[0]!.signals as string[]) expect(ids).toContain(id);
    expect(sink.stats.sent_incidents).toBe(2);
  });

  it('keeps incidents in the spool while ClickHouse is away and sends them after a restart', async () => {
    const stateDir = tempDir('sentra-ship-');
    const down = makeConfig({ clickhouse: { enabled: true, url: 'http://127.0.0.1:9', database: 'inc2', tenant: 'acme' } });
    const a = new ClickHouseSink(down.clickhouse, stateDir, 400, log);
    a.enqueue(signals);
    a.enqueueIncidents(incidents);
    expect(await a.drain()).toBe(false);
    await a.stop();
    const up = makeConfig({ clickhouse: { enabled: true, url: ch.url, database: 'inc2', tenant: 'acme' } });
    const b = new ClickHouseSink(up.clickhouse, stateDir, 400, log);
    expect(await b.drain()).toBe(true);
    await b.stop();
    expect((await rows('SELECT id FROM inc2.incidents_latest')).map((r) => r.id)).toEqual([incidents[0]!.id]);
    expect(b.stats.spool.records).toBe(0);
  });
});
