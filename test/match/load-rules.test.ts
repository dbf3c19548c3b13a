// Loading rules: local rule directories add rules after the shipped ones; errors name the file, the rule
// and the reason; a local directory that does not exist holds no rules.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SentraError } from '../../agent/errors.js';
import { loadRules } from '../../agent/match/load-rules.js';
import { bundledRulesDir } from '../../agent/paths.js';
import { tempDir } from '../helpers/agent.js';

const rule = (over: Record<string, unknown> = {}): string => JSON.stringify({ rules: [{
  id: 'local-test-rule', title: 'A local rule', description: 'A rule an operator added for a local program.',
  programs: ['myapp'], pattern: '^login failed for (?<user>\\\\S+)$', intent: 'credential-access', outcome: 'failure',
  severity: 'low', mitre: ['T1110.001'], soc2: ['CC6.1'], iso27001: ['A.8.5'],
  examples: { match: [{ line: 'login failed for bob', fields: { user: 'bob' } }], no_match: ['login ok for bob'] }, ...over }] });

function local(text: string): string {
  const dir = tempDir('sentra-rules-');
  mkdirSync(join(dir, 'rules.d'));
  writeFileSync(join(dir, 'rules.d', 'myapp.yaml'), text);
  return join(dir, 'rules.d');
}

describe('loadRules', () => {
  it('adds local rules after the shipped ones', () => {
    const set = loadRules([bundledRulesDir(), local(rule())]);
    expect(set.rules.at(-1)!.spec.id).toBe('local-test-rule');
  });

  it('treats a missing local directory as empty, but not a missing shipped one', () => {
    expect(loadRules([bundledRulesDir(), '/nonexistent/rules.d']).rules.length).toBeGreaterThan(200);
    expect(() => loadRules(['/nonexistent/rules'])).toThrow(SentraError);
  });

  it.each([
    [rule({ intent: 'hacking' }), 'ERR_RULE_INVALID', /myapp\.yaml:\d+ \(rule local-test-rule\): .*\/rules\/0\/intent: must be one of/],
    [rule({ mitre: ['T9999'] }), 'ERR_RULE_TAXONOMY', /myapp\.yaml:\d+ \(rule local-test-rule\): mitre id "T9999" is not in rules\/taxonomy/],
    [rule({ pattern: '^(unclosed' }), 'ERR_RULE_PATTERN', /pattern is not a valid regular expression/],
    [rule({ id: 'sshd-failed-password' }), 'ERR_RULE_DUPLICATE', /rule id "sshd-failed-password" is already defined in .*sshd\.yaml/],
    ['rules: [ {', 'ERR_RULE_FILE', /myapp\.yaml: not valid YAML/],
  ])('refuses a bad rule file with the file, rule and reason (%#)', (text, code, message) => {
    try {
      loadRules([bundledRulesDir(), local(text)]);
      throw new Error('accepted');
    } catch (err) {
      expect((err as SentraError).code).toBe(code);
      expect((err as Error).message).toMatch(message);
    }
  });
});
