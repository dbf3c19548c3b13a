// scripts/bench-clickhouse.ts: ClickHouse figures for `npm run bench`: insert throughput (signals/s, with
// their evidence) into a local clickhouse-server, and how long a spool built up during an outage takes to
// drain once the server is back.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeConfig } from '../agent/config/load.js';
import type { Signal } from '../agent/model.js';
import { ClickHouseSink } from '../agent/sinks/clickhouse/sink.js';
import { localClickHouse } from './clickhouse-local.js';

export async function benchClickHouse(sample: Signal[], count = 20_000): Promise<{ signals: number; insert_signals_per_s: number; spool_batches: number; spool_drain_seconds: number }> {
  const ch = await localClickHouse();
  try {
    const make = (n: number, salt: string): Signal[] => Array.from({ length: n }, (_, i) => {
      const s = sample[i % sample.length]!;
      return { ...s, id: createHash('sha256').update(`${salt}${i}`).digest('hex').slice(0, 12) };
    });
    const cfg = makeConfig({ clickhouse: { url: ch.url, database: 'bench', batch_size: 1000 } });
    const sink = new ClickHouseSink(cfg.clickhouse, mkdtempSync(join(tmpdir(), 'sentra-bench-spool-')), 400, () => undefined);
    await sink.drain(); // schema first, outside the timing
    const live = make(count, 'a');
    const t0 = performance.now();
    sink.enqueue(live);
    if (!(await sink.drain())) throw new Error(`insert failed: ${sink.stats.last_error}`);
    const insertSeconds = (performance.now() - t0) / 1000;
    await ch.stop();
    sink.enqueue(make(count, 'b'));
    const batches = sink.stats.spool.records;
    await ch.start();
    const t1 = performance.now();
    while (!(await sink.drain())) await new Promise((r) => setTimeout(r, 100));
    const drainSeconds = (performance.now() - t1) / 1000;
    await sink.stop();
    return { signals: count, insert_signals_per_s: Math.round(count / insertSeconds), spool_batches: batches, spool_drain_seconds: Number(drainSeconds.toFixed(2)) };
  } finally {
    await ch.stop();
  }
}
