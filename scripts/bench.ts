// scripts/bench.ts: `npm run bench`. Generates a 1,000,000-line auth.log with ../shared/tools/gen-authlog.mjs
// (cached under .bench/), then runs each mode in a fresh process, interleaved over rounds, and prints medians:
// lines/s, the ratio to the plain Node line reader measured in the same run, peak RSS, and signals produced.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { runScan } from '../agent/cli/scan.js';
import type { Signal } from '../agent/model.js';
import { benchClickHouse } from './bench-clickhouse.js';
import { join } from 'node:path';
import { packageRoot } from '../agent/paths.js';
import { benchAgent } from './bench-agent.js';
import { benchReports } from './bench-reports.js';
import { benchCorrelate } from './bench-correlate.js';

const root = packageRoot();
const out = join(root, '.bench');
const log = join(out, 'auth-1M.log');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const modes = ['readline', 'split', 'events', 'scan'];

mkdirSync(out, { recursive: true });
if (!existsSync(log)) {
  const gen = join(root, '..', 'shared', 'tools', 'gen-authlog.mjs');
  console.log(`generating ${log} with ${gen} (seed 42)`);
  execFileSync(process.execPath, [gen, '--lines', '1000000', '--seed', '42', '--start', '2026-01-05T00:00:00Z', '--hosts', '1', '--out', log]);
}

const runs: Record<string, Array<Record<string, number>>> = Object.fromEntries(modes.map((m) => [m, []]));
for (let r = 0; r < rounds; r++) {
  for (const mode of modes) {
    const res = JSON.parse(execFileSync(process.execPath, [join(root, 'dist', 'scripts', 'bench-worker.js'), mode, log], { encoding: 'utf8', maxBuffer: 1 << 24 })) as Record<string, number>;
    runs[mode]!.push(res);
    process.stderr.write(`round ${r + 1}/${rounds} ${mode}: ${(res.lines! / (res.ms! / 1000) / 1000).toFixed(0)}k lines/s, ${res.rss_mb!.toFixed(0)} MB\n`);
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (m: string): number => median(runs[m]!.map((x) => x.lines! / (x.ms! / 1000)));
const base = rate('readline');
const rows = modes.map((m) => ({
  mode: m,
  lines_per_s: Math.round(rate(m)),
  ratio_to_readline: Number((rate(m) / base).toFixed(2)),
  min_lines_per_s: Math.round(Math.min(...runs[m]!.map((x) => x.lines! / (x.ms! / 1000)))),
  max_lines_per_s: Math.round(Math.max(...runs[m]!.map((x) => x.lines! / (x.ms! / 1000)))),
  peak_rss_mb: Math.round(Math.max(...runs[m]!.map((x) => x.rss_mb!))),
  seconds: Number((median(runs[m]!.map((x) => x.ms!)) / 1000).toFixed(2)),
  ...(m === 'scan' ? { signals: runs[m]![0]!.signals } : {}),
  ...(m === 'events' ? { matched: runs[m]![0]!.matched } : {}),
}));

console.log(`\nSentra benchmark: 1,000,000-line auth.log (${log}), ${rounds} rounds, medians; Node ${process.version}`);
console.log('mode       lines/s    (min..max)            × readline  peak RSS   seconds  notes');
for (const r of rows) {
  const note = r.mode === 'readline' ? 'baseline: node:readline for-await'
    : r.mode === 'split' ? 'Sentra line splitter only'
      : r.mode === 'events' ? `parse + match (${r.matched} events)` : `whole scan, ${r.signals} signals`;
  console.log(`${r.mode.padEnd(10)} ${String(r.lines_per_s).padStart(9)}  (${r.min_lines_per_s}..${r.max_lines_per_s})`.padEnd(44)
    + `${r.ratio_to_readline.toFixed(2).padStart(6)}      ${String(r.peak_rss_mb).padStart(4)} MB  ${r.seconds.toFixed(2).padStart(7)}  ${note}`);
}
const scan = rows.find((r) => r.mode === 'scan')!;
console.log(`\ntargets: scan ≥ 0.33 × readline → ${scan.ratio_to_readline >= 0.33 ? 'met' : 'NOT met'} (${scan.ratio_to_readline}); `
  + `peak RSS < 200 MB → ${scan.peak_rss_mb < 200 ? 'met' : 'NOT met'} (${scan.peak_rss_mb} MB)`);
const corr = benchCorrelate(log);
console.log(`\ncorrelation, fed like the live agent (batches of 5,000 lines, snapshot and incident updates after each): `
  + `${corr.correlate_seconds} s of ${corr.pipeline_seconds} s (${(corr.share * 100).toFixed(1)}%), ${corr.rebuilds} rebuilds, `
  + `at most ${corr.max_held} signals held, ${corr.incidents} incidents; one rebuild of a host at the cap `
  + `(${corr.full_host_signals} signals, ${corr.full_host_incidents} intrusions): ${corr.full_host_rebuild_ms} ms`);
const reports = await benchReports(root);
console.log(`\nreports on a store of ${reports.signals} signals: weekly report ${reports.weekly_seconds} s, 90-day audit bundle `
  + `${reports.bundle_seconds} s (${reports.bundle_bytes} bytes); target under 2 s each: `
  + `${reports.weekly_seconds < 2 && reports.bundle_seconds < 2 ? 'met' : 'NOT met'}`);
console.log(`sentra ui on the same store (ms, first request): ${Object.entries(reports.ui_ms).map(([k, v]) => `${k} ${v}`).join(', ')}`);

let clickhouse: Awaited<ReturnType<typeof benchClickHouse>> | undefined;
// Debian's 18.16 server has no --version: look for the program itself.
if (process.env.BENCH_CLICKHOUSE !== '0' && spawnSync('sh', ['-c', 'command -v clickhouse-server']).status === 0) {
  const sample: Signal[] = [];
  const sink = new Writable({ write(c: Buffer, _e, cb) { for (const l of c.toString().split('\n')) if (l) sample.push(JSON.parse(l) as Signal); cb(); } });
  const scen = join(root, 'test', 'fixtures', 'scenarios');
  await runScan(readdirSync(scen).map((n) => join(scen, n, 'input.log')), { format: 'jsonl', quiet: true, year: '2026', timezone: 'UTC' }, sink);
  clickhouse = await benchClickHouse(sample);
  const c = clickhouse;
  console.log(`\nClickHouse (local clickhouse-server): ${c.insert_signals_per_s} signals/s inserted with their evidence `
    + `(${c.signals} signals, batches of 1000)`);
  console.log(`spool: one add ${c.spool_add_us.at_100} µs with 100 records waiting, ${c.spool_add_us.at_3000} µs with 3,000 `
    + `(ratio ${(c.spool_add_us.at_3000 / c.spool_add_us.at_100).toFixed(2)}); one ack ${c.spool_ack_us.at_100} µs vs ${c.spool_ack_us.at_3000} µs `
    + `(ratio ${(c.spool_ack_us.at_3000 / c.spool_ack_us.at_100).toFixed(2)})`);
  console.log(`outage: ${c.outage_versions} versions of 3,000 signals spooled (${c.spool_records} records) drained in ${c.spool_drain_seconds} s; `
    + `sent ${c.outage_signal_rows_sent} signal rows and ${c.outage_evidence_rows_sent} evidence rows for ${c.outage_distinct_evidence} distinct evidence rows`);
}

let agent: Awaited<ReturnType<typeof benchAgent>> | undefined;
if (process.env.BENCH_AGENT !== '0') {
  const seconds = Number(process.env.BENCH_FOLLOW_SECONDS ?? 60);
  console.log(`\nlive agent: idle for 10 s, then following a file written at 1,000 lines/s for ${seconds} s …`);
  agent = await benchAgent(root, log, 1000, seconds);
  console.log(`agent idle RSS ${agent.idle_rss_mb} MB (target < 80 MB: ${agent.idle_rss_mb < 80 ? 'met' : 'NOT met'}); `
    + `following ${agent.follow_rate_lines_per_s} lines/s: ${agent.follow_cpu_percent}% of one core (target < 5%: `
    + `${agent.follow_cpu_percent < 5 ? 'met' : 'NOT met'}), peak RSS ${agent.follow_peak_rss_mb} MB; `
    + `${agent.follow_lines_read}/${agent.follow_lines_written} lines read`);
}
writeFileSync(join(out, 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds, rows, correlation: corr, reports, clickhouse, agent }, null, 2)}\n`);
