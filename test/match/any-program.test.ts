// Rules for any program (`programs: ['*']`): tried after the program's own rules, and alone for programs no
// rule names; a program's specific rule always wins over a generic one, whatever file either is in.
import { describe, expect, it } from 'vitest';
import { compileRule, type RuleSpec } from '../../agent/match/compile.js';
import { loadRules } from '../../agent/match/load-rules.js';
import { Matcher } from '../../agent/match/match.js';
import { journalIdentifiers } from '../../agent/parse/identifiers.js';

function spec(id: string, programs: string[], pattern: string, intent: RuleSpec['intent'] = 'noise'): RuleSpec {
  return {
    id, title: id, description: `rule ${id}`, programs, pattern, intent, outcome: 'info', severity: 'info',
    mitre: [], soc2: ['CC7.2'], iso27001: ['A.8.15'], examples: { match: [{ line: 'x' }], no_match: ['y'] },
  };
}

function matcher(...specs: RuleSpec[]): Matcher {
  return new Matcher(specs.map((s, i) => compileRule(s, 'test.yaml', i, new RegExp(s.pattern))));
}

describe('rules for any program', () => {
  // The generic rule comes first in file order, yet the program's own rule wins for its program.
  const m = matcher(
    spec('generic-pam', ['*'], '^pam_unix\\((?<service>[^:)]+):auth\\): authentication failure'),
    spec('sshd-pam', ['sshd'], '^pam_unix\\(sshd:auth\\): authentication failure', 'credential-access'),
    spec('sshd-other', ['sshd'], '^Accepted '),
  );

  it("lets the program's own rule win over a generic one listed before it", () => {
    expect(m.classify('sshd', 'pam_unix(sshd:auth): authentication failure; rhost=1.2.3.4')?.rule.spec.id).toBe('sshd-pam');
  });

  it("tries the generic rule after the program's own rules miss", () => {
    expect(m.classify('sshd', 'pam_unix(other:auth): authentication failure')?.rule.spec.id).toBe('generic-pam');
  });

  it('applies the generic rule to a program no rule names', () => {
    const hit = m.classify('nginx', 'pam_unix(nginx:auth): authentication failure');
    expect(hit?.rule.spec.id).toBe('generic-pam');
    expect(hit?.fields.service).toBe('nginx');
    expect(m.knows('nginx')).toBe(true);
    expect(m.classify('nginx', 'Accepted password for x')).toBeNull();
  });

  it('knows no program when no rule is generic', () => {
    const only = matcher(spec('sshd-other', ['sshd'], '^Accepted '));
    expect(only.knows('nginx')).toBe(false);
    expect(only.classify('nginx', 'Accepted x')).toBeNull();
  });

  it('names no journal identifier "*": the journal source is asked only for real identifiers', () => {
    const ids = journalIdentifiers(loadRules().rules.flatMap((r) => r.spec.programs));
    expect(ids).not.toContain('*');
    expect(ids).toContain('sshd');
  });

  it('classifies a generic PAM refusal of an unlisted program with its user and address', () => {
    const real = new Matcher(loadRules().rules);
    const hit = real.classify('openvpn', 'pam_access(openvpn:account): access denied for user `bob\' from `203.0.113.7\'');
    expect(hit?.rule.spec.id).toBe('pam-access-denied');
    expect(hit?.fields).toMatchObject({ user: 'bob', src_ip: '203.0.113.7' });
    expect(hit?.src).toBe('203.0.113.7');
  });
});
