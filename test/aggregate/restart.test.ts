// A restart must not change the result: state saved at any point and restored gives the same signals
// (ids, counts, risk) as one uninterrupted run over the same lines.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION } from '../../agent/config/detection.js';
import { loadRules } from '../../agent/match/load-rules.js';
import type { RawLine, Signal } from '../../agent/model.js';
import { EMPTY_OVERRIDES } from '../../agent/override/load.js';
import { Parser } from '../../agent/parse/parse.js';
import { Pipeline } from '../../agent/pipeline.js';

const rules = loadRules();
const dir = mkdtempSync(join(tmpdir(), 'sentra-restart-'));
const log = join(dir, 'auth.log');
execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', '..', 'shared', 'tools', 'gen-authlog.mjs'),
  '--lines', '60000', '--seed', '3', '--start', '2026-01-05T00:00:00Z', '--out', log]);
const lines: RawLine[] = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((text, i) => ({ text, file: log, lineNo: i + 1 }));

function run(splits: number[]): Signal[] {
  const parser = new Parser({ years: { kind: 'first', year: 2026 }, timeZone: 'UTC' });
  const byId = new Map<string, Signal>();
  let state: unknown;
  let from = 0;
  for (const to of [...splits, lines.length]) {
    const p = new Pipeline({ rules, detection: DEFAULT_DETECTION, overrides: EMPTY_OVERRIDES, state });
    p.feed(lines.slice(from, to), parser);
    for (const s of p.drain()) byId.set(s.id, s);
    if (to === lines.length) for (const s of p.flush()) byId.set(s.id, s);
    else state = JSON.parse(JSON.stringify(p.saveState()));
    from = to;
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

const summary = (xs: Signal[]): string[] => xs.map((s) => `${s.id} ${s.kind} ${s.count} ${s.risk} ${s.first_seen} ${s.last_seen}`);

describe('aggregation state across restarts', () => {
  const whole = run([]);

  it('produces signals over several days', () => {
    expect(whole.length).toBeGreaterThan(10);
  });

  it('is the same when restarted at arbitrary points, through JSON', () => {
    expect(summary(run([7, 12_345, 30_001, 30_002, 59_000]))).toEqual(summary(whole));
  });

  it('keeps evidence and entities identical as well', () => {
    const restarted = run([20_000, 40_000]);
    expect(restarted.map((s) => [s.evidence, s.entities])).toEqual(whole.map((s) => [s.evidence, s.entities]));
  });
});
