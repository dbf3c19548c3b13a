// scripts/bench-worker.ts: one benchmark mode in a fresh process; prints {lines, ms, rss_mb, ...} as JSON.
// Modes: readline (plain Node line reader, the baseline), split (Sentra's own line splitter only),
// events (parse + match, i.e. `scan --events` without printing), scan (the whole `sentra scan`).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { runScan } from '../agent/cli/scan.js';
import { DEFAULT_DETECTION } from '../agent/config/detection.js';
import { loadRules } from '../agent/match/load-rules.js';
import { EMPTY_OVERRIDES } from '../agent/override/load.js';
import { Parser } from '../agent/parse/parse.js';
import { Pipeline } from '../agent/pipeline.js';
import { readLines } from '../agent/sources/read-lines.js';

const [mode, file] = process.argv.slice(2) as [string, string];

class Count extends Writable {
  lines = 0;
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines++;
    cb();
  }
}

async function run(): Promise<Record<string, number>> {
  const t0 = performance.now();
  if (mode === 'readline') {
    let lines = 0;
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.length >= 0) lines++;
    return { lines, ms: performance.now() - t0 };
  }
  if (mode === 'split') {
    let lines = 0;
    for await (const batch of readLines(file)) lines += batch.length;
    return { lines, ms: performance.now() - t0 };
  }
  if (mode === 'events') {
    const pipeline = new Pipeline({ rules: loadRules(), detection: DEFAULT_DETECTION, overrides: EMPTY_OVERRIDES, eventsOnly: true });
    const parser = new Parser({ years: { kind: 'first', year: 2026 }, timeZone: 'UTC' });
    for await (const batch of readLines(file)) pipeline.feed(batch, parser);
    return { lines: pipeline.stats.read, matched: pipeline.stats.matched, ms: performance.now() - t0 };
  }
  if (mode === 'scan') {
    const out = new Count();
    const code = await runScan([file], { format: 'jsonl', quiet: true, year: '2026', timezone: 'UTC' }, out);
    if (code !== 0) throw new Error(`scan exited ${code}`);
    return { lines: 1_000_000, signals: out.lines, ms: performance.now() - t0 };
  }
  throw new Error(`unknown mode ${mode}`);
}

const r = await run();
process.stdout.write(`${JSON.stringify({ mode, ...r, rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`);
