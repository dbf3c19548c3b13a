// Log lines are written partly by attackers (user names in sshd lines), so no pattern may backtrack
// catastrophically. recheck proves each pattern; its verdict is bounded by work, not time (see
// scripts/redos.ts), so a loaded machine gives the same answer. Patterns proved before are vouched for
// by rules/redos-verdicts.json; any other pattern is proved here, and anything but "safe" fails.
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../agent/match/load-rules.js';
import { prove, unproved } from '../../scripts/redos.js';

const rules = loadRules().rules;

describe('rule patterns', () => {
  it('are all free of catastrophic backtracking (recheck, or a recorded verdict for the same pattern)', async () => {
    const todo = unproved();
    const unsafe: string[] = [];
    for (const r of todo) {
      const p = await prove(r.id, r.pattern);
      if (p.status !== 'safe') unsafe.push(`${p.id}: ${p.status} (${p.detail})`);
    }
    expect(unsafe).toEqual([]);
    if (todo.length > 0) console.log(`${todo.length} patterns proved here; run "npm run redos" to record their verdicts`);
  }, 3_600_000); // only stops a hung check: the verdict does not depend on how long it takes

  it('stay fast on a crafted 64 KiB line for every rule', () => {
    // Not a timing assertion: a catastrophic pattern would not finish at all; this proves each ran to completion.
    const evil = `Failed password for ${' from 1.2.3.4 port'.repeat(3000)} from x`;
    for (const r of rules) expect(typeof r.regex.test(evil)).toBe('boolean');
  });

  it('catches a pattern that does backtrack catastrophically (the check can fail)', async () => {
    const p = await prove('known-bad', '^(a+)+$');
    expect(p.status).toBe('vulnerable');
  }, 600_000);
});
