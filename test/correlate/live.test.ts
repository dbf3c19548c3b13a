// Replay = live: the same lines fed a few at a time, with the agent's snapshots of open windows, restarts
// through JSON state in between, give the same incidents (ids, signals, timeline) as one `scan`. And the
// stage stays bounded: a long noisy log never holds more signals than its cap, and the window is honoured.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION, type DetectionConfig } from '../../agent/config/detection.js';
import { loadRules } from '../../agent/match/load-rules.js';
import type { Incident, RawLine } from '../../agent/model.js';
import { EMPTY_OVERRIDES, loadOverrides } from '../../agent/override/load.js';
import { Parser } from '../../agent/parse/parse.js';
import { Pipeline } from '../../agent/pipeline.js';
import { scanIncidents } from '../helpers/run.js';

const rules = loadRules();
const dir = join(import.meta.dirname, '..', 'fixtures', 'incidents');

function linesOf(path: string): RawLine[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((text, i) => ({ text, file: path, lineNo: i + 1 }));
}

/** Feeds `lines` like the agent does: small batches, a snapshot after each, a restart every `restartEvery` batches. */
function live(lines: RawLine[], opts: { overrides?: string; batch: number; restartEvery: number; detection?: DetectionConfig }) {
  const parser = new Parser({ years: { kind: 'first', year: 2026 }, timeZone: 'UTC' });
  const overrides = opts.overrides ? loadOverrides(opts.overrides) : EMPTY_OVERRIDES;
  const detection = opts.detection ?? DEFAULT_DETECTION;
  const incidents = new Map<string, Incident>();
  const labels = new Map<string, string | null>();
  let p = new Pipeline({ rules, detection, overrides });
  const take = (signals: ReturnType<Pipeline['drain']>): void => {
    for (const s of signals) labels.set(s.id, s.incident_id ?? null);
    const u = p.incidentUpdates();
    for (const i of u.incidents) incidents.set(i.id, i);
    for (const r of u.relabeled) labels.set(r.id, r.incident_id);
  };
  for (let at = 0, n = 0; at < lines.length; at += opts.batch, n++) {
    p.feed(lines.slice(at, at + opts.batch), parser);
    take([...p.drain(), ...p.snapshot()]);
    if (n % opts.restartEvery === opts.restartEvery - 1) {
      p = new Pipeline({ rules, detection, overrides, state: JSON.parse(JSON.stringify(p.saveState())) });
    }
  }
  take(p.flush());
  return { incidents: [...incidents.values()].sort((a, b) => (a.id < b.id ? -1 : 1)), labels, pipeline: p };
}

describe('incidents live and replayed', () => {
  for (const name of readdirSync(dir).sort()) {
    it(`${name}: batches, snapshots and restarts give the incidents one scan gives`, async () => {
      const log = join(dir, name, 'input.log');
      const ov = (JSON.parse(readFileSync(join(dir, name, 'expected.json'), 'utf8')) as { args: string[] }).args.includes('--overrides')
        ? join(dir, name, 'overrides.json') : undefined;
      const replay = (await scanIncidents([log], { year: '2026', timezone: 'UTC', ...(ov ? { overrides: ov } : {}) }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      for (const [batch, restartEvery] of [[1, 7], [4, 3], [50, 1]] as const) {
        const r = live(linesOf(log), { batch, restartEvery, ...(ov ? { overrides: ov } : {}) });
        expect(r.incidents, `batch ${batch}, restart every ${restartEvery}`).toEqual(replay);
        for (const i of replay) for (const id of i.signals) expect(r.labels.get(id)).toBe(i.id);
      }
    });
  }

  it('carries on from a state saved before incidents existed (aggregation state alone)', () => {
    const lines = linesOf(join(dir, 'one-chain', 'input.log'));
    const parser = new Parser({ years: { kind: 'first', year: 2026 }, timeZone: 'UTC' });
    const cut = lines.findIndex((l) => l.text.includes('Accepted password for backup'));
    const a = new Pipeline({ rules, detection: DEFAULT_DETECTION, overrides: EMPTY_OVERRIDES });
    a.feed(lines.slice(0, cut), parser);
    a.drain();
    const old = JSON.parse(JSON.stringify((a.saveState() as { aggregation: unknown }).aggregation)) as unknown;
    const b = new Pipeline({ rules, detection: DEFAULT_DETECTION, overrides: EMPTY_OVERRIDES, state: old });
    b.feed(lines.slice(cut), parser);
    b.flush();
    expect(b.incidents().map((i) => i.signals.length)).toEqual([9]);
  });

  it('an incident that grows keeps its id', () => {
    const lines = linesOf(join(dir, 'one-chain', 'input.log'));
    const parser = new Parser({ years: { kind: 'first', year: 2026 }, timeZone: 'UTC' });
    const p = new Pipeline({ rules, detection: DEFAULT_DETECTION, overrides: EMPTY_OVERRIDES });
    const seen: Incident[] = [];
    for (const line of lines) {
      p.feed([line], parser);
      p.snapshot();
      seen.push(...p.incidentUpdates().incidents);
    }
    expect(new Set(seen.map((i) => i.id)).size).toBe(1);
    const sizes = seen.map((i) => i.signals.length);
    expect(sizes.length).toBeGreaterThan(3);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(sizes.at(-1)).toBe(9);
  });

  it('honours a shorter window: Saturday sudo two hours after the break-in stays out with window_hours 1', () => {
    const lines = linesOf(join(dir, 'maintenance-breaks-chain', 'input.log'));
    const wide = live(lines, { batch: 1000, restartEvery: 1000 }).incidents;
    const narrow = live(lines, { batch: 1000, restartEvery: 1000,
      detection: { ...DEFAULT_DETECTION, correlation: { ...DEFAULT_DETECTION.correlation, window_hours: 1 } } }).incidents;
    expect(wide[0]!.signals).toHaveLength(4);
    expect(narrow[0]!.signals).toHaveLength(3);
    expect(narrow[0]!.id).toBe(wide[0]!.id);
  });

  it('holds no more signals per host than its cap on a long noisy log', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'sentra-correlate-'));
    const log = join(tmp, 'auth.log');
    execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', '..', 'shared', 'tools', 'gen-authlog.mjs'),
      '--lines', '40000', '--seed', '5', '--start', '2026-01-05T00:00:00Z', '--out', log]);
    const cap = 20;
    const detection = { ...DEFAULT_DETECTION, correlation: { window_hours: 24, signals_per_host: cap } };
    const r = live(linesOf(log), { batch: 500, restartEvery: 10, detection });
    const hosts = new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/\s+/)[3]));
    expect(r.pipeline.correlateStats.held).toBeLessThanOrEqual(cap * hosts.size);
    expect(r.pipeline.correlateStats.held).toBeGreaterThan(0);
  });
});
