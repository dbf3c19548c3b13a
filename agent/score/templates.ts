// agent/score/templates.ts: the words of every signal kind: title, explanation and recommended action.
// Calm and plain: say what happened, what it means, and what (if anything) to do. The tone test in
// test/score/tone.test.ts rejects alarmist words, exclamation marks and capitals used for emphasis.
import type { SignalDraft } from '../model.js';

type Text = (d: SignalDraft) => string;

export interface KindWords {
  title: Text;
  explanation: Text;
  action: Text;
  /** What to say instead when nothing needs doing. */
  calmAction?: Text;
}

// Plurals and lists by Intl, not by hand: "1 command", "2 commands"; "a, b and c".
const rules = new Intl.PluralRules('en-US');
const lists = new Intl.ListFormat('en-US', { style: 'long', type: 'conjunction' });
const list = (v: unknown, n = 5): string => {
  const a = Array.isArray(v) ? (v as string[]) : [];
  if (a.length === 0) return 'none recorded';
  return a.length <= n ? lists.format(a) : lists.format([...a.slice(0, n), `${a.length - n} more`]);
};
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${rules.select(n) === 'one' ? one : many}`;
const times = (n: number): string => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n.toLocaleString('en-US')} times`);
/** Field names as words, for the generic rule-match explanation. */
const FIELD_WORDS: Record<string, string> = {
  user: 'account', target_user: 'acting as', src_ip: 'from', src_host: 'from', src_port: 'port', tty: 'terminal',
  command: 'command', group: 'group', service: 'service', uid: 'uid', pwd: 'directory', unit: 'unit', session: 'session',
};
const entityWords = (entities: Record<string, unknown>): string => {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const [k, v] of Object.entries(entities)) {
    const value = Array.isArray(v) ? v.join(', ') : String(v);
    // "account root, acting as root" says nothing twice.
    if (k === 'target_user' && value === String(entities.user)) continue;
    const words = FIELD_WORDS[k] ?? k.replace(/_/g, ' ');
    if (seen.has(`${words} ${value}`)) continue;
    seen.add(`${words} ${value}`);
    out.push(`${words} ${value}`);
  }
  return out.join(', ');
};
const has = (d: SignalDraft, trait: string): boolean => d.traits.some((t) => t.name === trait);
const detail = (d: SignalDraft, trait: string): string => d.traits.find((t) => t.name === trait)?.detail ?? '';
// A source named by host name (src_host) stands where an address would.
const e = (d: SignalDraft, k: string): string => String(d.entities[k] ?? (k === 'src_ip' ? d.entities.src_host : undefined) ?? '');

export const WORDS: Readonly<Record<string, KindWords>> = {
  'ssh-background-noise': {
    title: (d) => `Internet login attempts: ${plural(num(d.facts.sources), 'address', 'addresses')}, all failed`,
    explanation: (d) => `${plural(num(d.facts.sources), 'address', 'addresses')} tried to log in over SSH and every attempt failed `
      + `(${plural(num(d.facts.attempts), 'attempt')}, ${plural(num(d.facts.probes), 'probe')}). The busiest was ${String(d.facts.top_source)} `
      + `with ${plural(num(d.facts.top_source_attempts), 'attempt')}. Most tried names: ${list(d.entities.users)}. This is the ordinary `
      + 'background traffic of a server reachable from the internet.',
    action: () => 'No action is required. Keep password logins disabled where possible and keep sshd up to date.',
  },
  'ssh-brute-force': {
    title: (d) => `Heavy login guessing from ${e(d, 'src_ip')}`,
    explanation: (d) => `${e(d, 'src_ip')} made ${plural(num(d.facts.attempts), 'failed login attempt')} in one day against `
      + `${plural(num(d.facts.distinct_users), 'account name')} (${list(d.entities.users)}). None succeeded.`,
    action: (d) => `No action is required. If the volume is a burden, block ${e(d, 'src_ip')} at the firewall or with a rate limit.`,
  },
  'ssh-password-spray': {
    title: (d) => `Password spraying from ${e(d, 'src_ip')} against accounts that log in here`,
    explanation: (d) => `${e(d, 'src_ip')} tried ${plural(num(d.facts.distinct_users), 'account name')}, mostly accounts that really `
      + `log in on this host (${list(d.facts.known_accounts)}): whoever it is knows the account names. `
      + `All ${plural(num(d.facts.attempts), 'attempt')} failed.`,
    action: (d) => `Confirm that ${list(d.facts.known_accounts)} use keys rather than passwords, and consider blocking ${e(d, 'src_ip')}.`,
  },
  'ssh-distributed-guessing': {
    title: (d) => `Password guessing against ${e(d, 'user')} from ${plural(num(d.facts.sources), 'address', 'addresses')}`,
    explanation: (d) => `${plural(num(d.facts.sources), 'address', 'addresses')} made ${plural(num(d.facts.attempts), 'failed attempt')} `
      + `to log in as ${e(d, 'user')}, an account that does log in on this host. None succeeded. `
      + (has(d, 'password_login_seen') ? `${e(d, 'user')} has used password logins here, so a guessed password would work.`
        : `${e(d, 'user')} has only been seen logging in with keys.`),
    action: (d) => has(d, 'password_login_seen')
      ? `Move ${e(d, 'user')} to key-based login or make sure its password is long and unique; consider disabling password authentication.`
      : `No action is required if password authentication is disabled for ${e(d, 'user')}; confirm that it is.`,
  },
  'ssh-success-after-failures': {
    title: (d) => `Login as ${e(d, 'user')} succeeded from ${e(d, 'src_ip')} after repeated failures`,
    explanation: (d) => `${e(d, 'src_ip')} failed to log in ${plural(num(d.facts.failures_before), 'time')} (trying ${list(d.facts.users_tried)}) `
      + `and then logged in as ${e(d, 'user')}. This can be a person who mistyped a password several times, or a guessed password.`,
    action: (d) => `Confirm with the owner of ${e(d, 'user')} that this login from ${e(d, 'src_ip')} was theirs. If it was not, `
      + `disable the account, end its sessions, and review what it did after ${d.firstSeen ? new Date(d.firstSeen).toISOString() : 'the login'}.`,
  },
  'remote-login': {
    title: (d) => `${e(d, 'user')} logged in over SSH ${plural(num(d.facts.logins), 'time')}`,
    explanation: (d) => {
      const parts = [`${e(d, 'user')} logged in ${plural(num(d.facts.logins), 'time')} from ${list(d.entities.src_ips)}.`];
      if (has(d, 'new_source')) parts.push(`This was the ${detail(d, 'new_source')}.`);
      if (has(d, 'off_hours')) parts.push(`${detail(d, 'off_hours')}.`);
      if (has(d, 'privileged_account')) parts.push(`${e(d, 'user')} is a privileged account.`);
      if (parts.length === 1) parts.push('The addresses and hours match what this account usually does.');
      return parts.join(' ');
    },
    action: (d) => `Confirm with the owner of ${e(d, 'user')} that these logins were theirs`
      + (has(d, 'privileged_account') ? ', and prefer named accounts with sudo over direct privileged logins.' : '.'),
    calmAction: () => 'No action is required.',
  },
  'uid0-login': {
    title: (d) => `Session for ${e(d, 'user')}, an account with UID 0`,
    explanation: (d) => `${e(d, 'user')} opened ${plural(num(d.facts.sessions), 'session')}. ${detail(d, 'uid0_account')}. `
      + 'Accounts like this are sometimes left behind by attackers to keep access.',
    action: (d) => `Check /etc/passwd for ${e(d, 'user')}: if no one can explain it, lock it (usermod -L ${e(d, 'user')}) and review recent changes to the host.`,
  },
  'privilege-use': {
    title: (d) => (d.intent === 'maintenance'
      ? `${e(d, 'user')} ran ${plural(num(d.facts.commands), 'maintenance command')}`
      : `${e(d, 'user')} used elevated privileges`),
    explanation: (d) => {
      const f = d.facts;
      const maint = num(f.maintenance_commands);
      const did: string[] = [];
      if (num(f.commands) > 0) {
        did.push(`ran ${plural(num(f.commands), 'command')} as ${list(d.entities.target_users, 3)}`
          + (maint === 0 ? '' : maint === num(f.commands) ? ', all of them package or service maintenance' : ` (${maint} of them package or service maintenance)`));
      }
      // A switch of user (su, sudo -i) is named with whom it became, not counted as commands.
      if (num(f.switches) > 0) did.push(`switched to ${list(d.entities.target_users, 3)} ${times(num(f.switches))}`);
      const parts = [did.length ? `${e(d, 'user')} ${lists.format(did)}.` : `${e(d, 'user')} asked for elevated privileges.`];
      if (num(f.denied) > 0) parts.push(`${plural(num(f.denied), 'request')} did not succeed.`);
      for (const t of ['exploit_indicator', 'suspicious_command', 'follows_suspicious_login', 'not_permitted', 'off_hours']) {
        if (has(d, t)) parts.push(`${detail(d, t)}.`);
      }
      return parts.join(' ');
    },
    action: (d) => (has(d, 'suspicious_command') || has(d, 'exploit_indicator') || has(d, 'follows_suspicious_login')
      ? `Ask ${e(d, 'user')} about the commands listed in the evidence. If they cannot be explained, stop trusting the account: lock it, end its sessions and review the host.`
      : `Confirm that ${e(d, 'user')} was expected to do this work.`),
    calmAction: () => 'No action is required.',
  },
  'account-change': {
    title: (d) => `Changes to ${d.facts.subject === 'group' ? 'group' : 'account'} ${e(d, 'target_user') || e(d, 'group')}`,
    explanation: (d) => {
      const name = e(d, 'target_user') || e(d, 'group');
      const parts = [`${plural(num(d.facts.changes), 'change')} to ${name}: ${list(d.facts.actions, 6).toLowerCase()}.`];
      for (const t of ['uid0_created', 'privileged_group', 'follows_suspicious_login', 'off_hours']) {
        if (has(d, t)) parts.push(`${detail(d, t)}.`);
      }
      return parts.join(' ');
    },
    action: (d) => (has(d, 'uid0_created') || has(d, 'privileged_group') || has(d, 'follows_suspicious_login')
      ? `Confirm that a change request covers these changes to ${e(d, 'target_user') || e(d, 'group')}; if none does, revert them and review who made them.`
      : `Confirm that these changes to ${e(d, 'target_user') || e(d, 'group')} were requested, and record them for the next access review.`),
  },
  'rule-match': {
    title: (d) => String(d.facts.rule_title),
    explanation: (d) => `${String(d.facts.rule_title)}: seen ${plural(num(d.facts.occurrences), 'time')}`
      + `${Object.keys(d.entities).length ? ` (${entityWords(d.entities)})` : ''}. `
      + `The rule that recognised it is rated ${String(d.facts.severity)}.`,
    action: () => 'Check whether this was planned work; if it was not, find out who or what caused it.',
    calmAction: () => 'No action is required; it is recorded for the audit trail.',
  },
};
