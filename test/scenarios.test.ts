// Scenario tests: each story's log runs through the whole pipeline and must give the signals its
// expected.json names, and nothing else unsuppressed at or above the stated band.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../agent/model.js';
import { optionsFromArgs, scanSignals } from './helpers/run.js';

interface Expectation {
  kind: string;
  entities?: Record<string, string>;
  first_seen?: string;
  band?: string;
  action_required?: boolean;
  suppressed?: boolean;
  override?: string;
  factors?: string[];
}
interface Scenario {
  story: string;
  args: string[];
  expect: Expectation[];
  no_other_unsuppressed_at_or_above: 'medium' | 'high';
  max_unsuppressed_per_day?: number;
}

const dir = join(import.meta.dirname, 'fixtures', 'scenarios');
const RANK: Record<string, number> = { info: 0, low: 1, medium: 2, high: 3 };

function fits(s: Signal, e: Expectation): boolean {
  if (s.kind !== e.kind) return false;
  for (const [k, v] of Object.entries(e.entities ?? {})) if (s.entities[k] !== v) return false;
  if (e.first_seen && !s.first_seen.startsWith(e.first_seen)) return false;
  return true;
}

function describeSignal(s: Signal): string {
  return `${s.kind} ${JSON.stringify(s.entities).slice(0, 80)} ${s.first_seen} ${s.band} ${s.risk} [${s.factors.map((f) => f.name).join(',')}]${s.suppressed ? ' suppressed' : ''}`;
}

for (const name of readdirSync(dir).sort()) {
  const sc = JSON.parse(readFileSync(join(dir, name, 'expected.json'), 'utf8')) as Scenario;
  describe(`scenario ${name}`, () => {
    let signals: Signal[] = [];
    it('runs through the whole pipeline', async () => {
      signals = await scanSignals([join(dir, name, 'input.log')], optionsFromArgs(sc.args));
      expect(signals.length).toBeGreaterThan(0);
    });

    for (const e of sc.expect) {
      it(`yields ${e.kind} ${JSON.stringify(e.entities ?? {})}${e.band ? ` at ${e.band}` : ''}`, () => {
        const found = signals.filter((s) => fits(s, e));
        expect(found.length, `no ${e.kind} in:\n${signals.map(describeSignal).join('\n')}`).toBeGreaterThan(0);
        const s = found[0]!;
        if (e.band) expect(s.band, describeSignal(s)).toBe(e.band);
        if (e.action_required !== undefined) expect(s.action_required, describeSignal(s)).toBe(e.action_required);
        if (e.suppressed !== undefined) expect(s.suppressed, describeSignal(s)).toBe(e.suppressed);
        if (e.override) expect(s.override?.id).toBe(e.override);
        for (const f of e.factors ?? []) expect(s.factors.map((x) => x.name), describeSignal(s)).toContain(f);
      });
    }

    it(`has no other unsuppressed signal at ${sc.no_other_unsuppressed_at_or_above} or above`, () => {
      const extra = signals.filter((s) => !s.suppressed && RANK[s.band]! >= RANK[sc.no_other_unsuppressed_at_or_above]!
        && !sc.expect.some((e) => fits(s, e)));
      expect(extra.map(describeSignal)).toEqual([]);
    });

    if (sc.max_unsuppressed_per_day !== undefined) {
      it(`stays at ${sc.max_unsuppressed_per_day} or fewer unsuppressed signals a day`, () => {
        const perDay = new Map<string, number>();
        for (const s of signals.filter((x) => !x.suppressed)) perDay.set(s.first_seen.slice(0, 10), (perDay.get(s.first_seen.slice(0, 10)) ?? 0) + 1);
        expect(Math.max(...perDay.values())).toBeLessThanOrEqual(sc.max_unsuppressed_per_day!);
      });
    }
  });
}
