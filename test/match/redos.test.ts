// Log lines are written partly by attackers (user names in sshd lines), so no pattern may backtrack
// catastrophically. recheck analyses each pattern; anything but "safe" fails the rule.
import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../agent/match/load-rules.js';

const rules = loadRules().rules;

describe('rule patterns', () => {
  it('are all free of catastrophic backtracking (recheck)', () => {
    const unsafe: string[] = [];
    for (const r of rules) {
      const d = checkSync(r.spec.pattern, '', { timeout: 10_000 });
      if (d.status !== 'safe') unsafe.push(`${r.spec.id}: ${d.status}${d.status === 'vulnerable' ? ` (${d.complexity.type}, attack ${JSON.stringify(d.attack.pattern)})` : ''}`);
    }
    expect(unsafe).toEqual([]);
  }, 600_000);

  it('stay fast on a crafted 64 KiB line for every rule', () => {
    // Not a timing assertion: a catastrophic pattern would not finish at all; this proves each ran to completion.
    const evil = `Failed password for ${' from 1.2.3.4 port'.repeat(3000)} from x`;
    for (const r of rules) expect(typeof r.regex.test(evil)).toBe('boolean');
  });
});
