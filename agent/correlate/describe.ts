// agent/correlate/describe.ts: one plain line per step of an incident, and the ATT&CK tactic it stands for.
// Log-derived names appear as they are; every sink escapes them for its destination.
import type { Signal, Tactic } from '../model.js';
import { describeAccountChange, list, sourceOf } from './facts.js';

export const TACTIC_ORDER: readonly Tactic[] = [
  'credential-access', 'initial-access', 'execution', 'privilege-escalation', 'persistence', 'defense-evasion',
];

export const TACTIC_WORDS: Record<Tactic, string> = {
  'credential-access': 'credential access',
  'initial-access': 'initial access',
  execution: 'execution',
  'privilege-escalation': 'privilege escalation',
  persistence: 'persistence',
  'defense-evasion': 'defence evasion',
};

export function tacticOf(s: Signal): Tactic {
  switch (s.kind) {
    case 'ssh-brute-force': case 'ssh-password-spray': case 'ssh-distributed-guessing': return 'credential-access';
    case 'ssh-success-after-failures': case 'remote-login': return 'initial-access';
    case 'privilege-use': case 'uid0-login': return 'privilege-escalation';
    case 'account-change': return 'persistence';
    default:
      if (s.intent === 'persistence') return 'persistence';
      if (s.intent === 'defense-impairment') return 'defense-evasion';
      if (s.intent === 'privilege-use') return 'privilege-escalation';
      if (s.intent === 'credential-access') return 'credential-access';
      if (s.intent === 'remote-access') return 'initial-access';
      return 'execution';
  }
}

const clip = (x: string, n = 80): string => (x.length > n ? `${x.slice(0, n - 1)}…` : x);
const str = (v: unknown, fallback: string): string => (typeof v === 'string' && v ? v : fallback);

/** One line: what happened in this step, in plain words. */
export function describeStep(s: Signal): string {
  const user = str(s.entities.user, 'an account');
  switch (s.kind) {
    case 'ssh-brute-force':
      return `${sourceOf(s) ?? 'an address'} failed ${String(s.facts.attempts ?? s.count)} password attempts`;
    case 'ssh-password-spray':
      return `${sourceOf(s) ?? 'an address'} tried ${String(s.facts.distinct_users ?? '')} account names, among them ${list(s.facts.known_accounts).join(', ') || 'real ones'}`;
    case 'ssh-distributed-guessing':
      return `${String(s.facts.sources ?? 'several')} addresses guessed ${user}'s password`;
    case 'ssh-success-after-failures':
      return `${sourceOf(s) ?? 'an address'} logged in as ${user} after ${String(s.facts.failures_before ?? 'repeated')} failed attempts`;
    case 'remote-login':
      return `${user} logged in from ${clip(list(s.entities.src_ips).concat(list(s.entities.src_hosts)).join(', ') || 'an unknown address')}`;
    case 'uid0-login':
      return `${user}, an account with UID 0, opened a session`;
    case 'privilege-use': {
      const cmds = list(s.entities.commands).slice(0, 2).map((c) => clip(c, 60));
      const targets = list(s.entities.target_users);
      return `${user} used privilege${targets.length ? ` as ${targets.join(', ')}` : ''}${cmds.length ? `: ${cmds.join('; ')}` : ''}`;
    }
    case 'account-change':
      return `account ${describeAccountChange(s)}`;
    default:
      return clip(`${str(s.facts.rule_title, s.title)}${typeof s.entities.user === 'string' ? ` (${s.entities.user})` : ''}`, 120);
  }
}
