// scripts/bench-clickhouse.ts: ClickHouse figures for `npm run bench`: insert throughput (signals/s, with
// their evidence) into a local clickhouse-server; the spool's cost per add and per ack with 100 and with
// 3,000 records waiting (it must not grow with the backlog); how long a spool built up during an outage
// takes to drain; and how many rows go out for a signal that changed many times during the outage.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeConfig } from '../agent/config/load.js';
import type { Signal } from '../agent/model.js';
import { signalRow } from '../agent/sinks/clickhouse/rows.js';
import { ClickHouseSink } from '../agent/sinks/clickhouse/sink.js';
import { Spool } from '../agent/sinks/clickhouse/spool.js';
import { localClickHouse } from './clickhouse-local.js';

export interface ClickHouseBench {
  signals: number;
  insert_signals_per_s: number;
  spool_add_us: { at_100: number; at_3000: number };
  spool_ack_us: { at_100: number; at_3000: number };
  spool_records: number;
  spool_drain_seconds: number;
  outage_versions: number;
  outage_signal_rows_sent: number;
  outage_evidence_rows_sent: number;
  outage_distinct_evidence: number;
}

const dir = (): string => mkdtempSync(join(tmpdir(), 'sentra-bench-spool-'));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median µs of one add, then of one ack (of one record), with `backlog` records already waiting. */
function spoolCost(sample: Signal, backlog: number): { add: number; ack: number } {
  const spool = new Spool(dir(), 1024 * 1024 * 1024);
  const rec = (i: number) => ({ k: `t\u0001h\u0001${i}`, v: i + 1, ls: 0, s: signalRow(sample, 't', i + 1), e: [] });
  for (let i = 0; i < backlog; i++) spool.add(rec(i));
  const adds: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    spool.add(rec(backlog + i));
    adds.push(performance.now() - t);
  }
  const acks: number[] = [];
  for (let i = 0; i < 50; i++) {
    const batch = spool.read(1);
    const t = performance.now();
    spool.acknowledge(batch);
    acks.push(performance.now() - t);
  }
  return { add: Math.round(median(adds) * 1000), ack: Math.round(median(acks) * 1000) };
}

export async function benchClickHouse(sample: Signal[], count = 20_000): Promise<ClickHouseBench> {
  const small = spoolCost(sample[0]!, 100);
  const large = spoolCost(sample[0]!, 3000);
  const ch = await localClickHouse();
  try {
    const make = (n: number, salt: string): Signal[] => Array.from({ length: n }, (_, i) => {
      const s = sample[i % sample.length]!;
      return { ...s, id: createHash('sha256').update(`${salt}${i}`).digest('hex').slice(0, 12) };
    });
    const cfg = makeConfig({ clickhouse: { url: ch.url, database: 'bench', batch_size: 1000 } });
    const sink = new ClickHouseSink(cfg.clickhouse, dir(), 400, () => undefined);
    await sink.drain(); // schema first, outside the timing
    const live = make(count, 'a');
    const t0 = performance.now();
    sink.enqueue(live);
    if (!(await sink.drain())) throw new Error(`insert failed: ${sink.stats.last_error}`);
    const insertSeconds = (performance.now() - t0) / 1000;

    // An outage: 3,000 signals, each changing 9 times (a new evidence line each time) before the server returns.
    await ch.stop();
    const outage = new ClickHouseSink(cfg.clickhouse, dir(), 400, () => undefined);
    const base = make(3000, 'b').map((s) => ({ ...s, evidence: s.evidence.slice(0, 10) }));
    let previous = new Map<string, Signal>();
    for (let v = 0; v < 9; v++) {
      const next = base.map((s) => ({ ...s, count: s.count + v, evidence: [...s.evidence, ...Array.from({ length: v }, (_, j) =>
        ({ ts: s.last_seen, source: 'bench', line: `line ${j}` }))] }));
      outage.enqueue(next, (id) => previous.get(id));
      previous = new Map(next.map((s) => [s.id, s]));
    }
    const records = outage.stats.spool.records;
    await ch.start();
    const t1 = performance.now();
    while (!(await outage.drain())) await new Promise((r) => setTimeout(r, 100));
    const drainSeconds = (performance.now() - t1) / 1000;
    await outage.stop();
    await sink.stop();
    return {
      signals: count, insert_signals_per_s: Math.round(count / insertSeconds),
      spool_add_us: { at_100: small.add, at_3000: large.add }, spool_ack_us: { at_100: small.ack, at_3000: large.ack },
      spool_records: records, spool_drain_seconds: Number(drainSeconds.toFixed(2)),
      outage_versions: 9 * base.length, outage_signal_rows_sent: outage.stats.sent_signals, outage_evidence_rows_sent: outage.stats.sent_evidence,
      outage_distinct_evidence: [...previous.values()].reduce((k, s) => k + s.evidence.length, 0),
    };
  } finally {
    await ch.stop();
  }
}
