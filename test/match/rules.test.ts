// Every rule's own examples, run through the whole engine: a `match` line must be won by that very rule
// (first match in file order) with the fields it lists; a `no_match` line must not match the rule.
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../agent/match/load-rules.js';
import { Matcher } from '../../agent/match/match.js';

const set = loadRules();
const matcher = new Matcher(set.rules);

describe('rule set', () => {
  it('loads with ids that are unique and taxonomy ids that exist', () => {
    expect(set.rules.length).toBeGreaterThan(80);
  });

  it('covers every intent except none', () => {
    const intents = new Set(set.rules.map((r) => r.spec.intent));
    for (const i of ['remote-access', 'credential-access', 'privilege-use', 'identity-management', 'persistence',
      'maintenance', 'defense-impairment', 'discovery', 'session', 'noise']) expect(intents, i).toContain(i);
  });

  it('gives most rules a literal prefix, so the prefilter skips them cheaply', () => {
    const withPrefix = set.rules.filter((r) => r.prefix.length >= 3).length;
    expect(withPrefix / set.rules.length).toBeGreaterThan(0.7);
  });
});

for (const rule of set.rules) {
  describe(`rule ${rule.spec.id}`, () => {
    for (const ex of rule.spec.examples.match) {
      it(`matches "${ex.line.slice(0, 90)}"`, () => {
        const hit = matcher.classify(ex.program ?? rule.spec.programs[0]!, ex.line);
        expect(hit?.rule.spec.id, 'won by another rule or none').toBe(rule.spec.id);
        for (const [k, v] of Object.entries(ex.fields ?? {})) expect(hit!.fields[k], `field ${k}`).toBe(v);
      });
    }
    for (const line of rule.spec.examples.no_match) {
      it(`does not match "${line.slice(0, 90)}"`, () => {
        expect(rule.regex.test(line)).toBe(false);
      });
    }
  });
}
