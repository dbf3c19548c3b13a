// Sentra speaks calmly: no alarmist words, no exclamation marks, no capitals for emphasis, in any title,
// explanation or recommended action it produces for the scenarios and the public corpora.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../agent/model.js';
import { corpus } from '../helpers/corpora.js';
import { scanSignals } from '../helpers/run.js';
import { toneProblems } from '../helpers/tone.js';

async function allSignals(): Promise<Signal[]> {
  const dir = join(import.meta.dirname, '..', 'fixtures', 'scenarios');
  const files = readdirSync(dir).map((n) => join(dir, n, 'input.log'));
  const out: Signal[] = [];
  for (const f of files) out.push(...await scanSignals([f], { year: '2026', timezone: 'UTC' }));
  out.push(...await scanSignals([corpus('loghub', 'OpenSSH', 'OpenSSH_2k.log')], { year: '2017', timezone: 'UTC' }));
  out.push(...await scanSignals([corpus('loghub', 'Linux', 'Linux_2k.log')], { year: '2005', timezone: 'UTC' }));
  out.push(...await scanSignals([corpus('beats-system-auth', 'auth-ubuntu1204.log')], { year: '2019', timezone: 'UTC' }));
  out.push(...await scanSignals([corpus('beats-system-auth', 'secure-rhel7.log')], { year: '2019', timezone: 'UTC' }));
  return out;
}

describe('tone', () => {
  it('finds the problems it is meant to find', () => {
    expect(toneProblems('URGENT: attack detected!')).toEqual(['exclamation mark', 'banned word "urgent"', 'banned word "attack"', 'capitals "URGENT"']);
    expect(toneProblems('alice logged in over SSH 3 times.')).toEqual([]);
  });

  it('is calm in every title, explanation and recommended action', async () => {
    const signals = await allSignals();
    expect(signals.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const s of signals) {
      // Entity values come from the log and are quoted verbatim; judge only Sentra's own words around them.
      let words = [s.title, s.explanation, s.recommended_action].join(' ');
      for (const v of Object.values(s.entities).flat()) words = words.split(String(v)).join(' ');
      for (const v of Object.values(s.facts).flat()) if (typeof v === 'string' && v.length > 2) words = words.split(v).join(' ');
      for (const p of toneProblems(words)) problems.push(`${s.kind}: ${p} in "${words.slice(0, 160)}"`);
    }
    expect([...new Set(problems)]).toEqual([]);
  }, 60_000);
});
