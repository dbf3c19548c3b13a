// reports/fleet/playbooks.ts: what to do across the fleet, one action each with the hosts and signals
// it covers. Address playbooks come from what each address did on each host (addresses.ts); the others
// from the kinds of the signals that need action.
import type { AddressFacts } from './addresses.js';
import type { SignalRef } from './facts.js';

export interface Playbook {
  kind: string;
  action: string;
  /** Addresses to act on, for the address playbooks. */
  addresses: string[];
  /** tenant/host of every host the playbook covers. */
  hosts: string[];
  signals: SignalRef[];
}

/** One action per kind of signal that needs it: what a SOC would do across every host it covers. */
export const PLAYBOOKS: Record<string, string> = {
  'ssh-success-after-failures': 'Confirm each login with the account owner; where it was not theirs, disable the account and review the host.',
  'ssh-password-spray': 'Make sure accounts that log in use keys, and block the spraying addresses at the edge.',
  'ssh-distributed-guessing': 'Move the targeted accounts to key-based login or disable password authentication.',
  'remote-login': 'Confirm unusual logins (new address, night, privileged account) with their owners.',
  'uid0-login': 'Find who created the extra UID-0 accounts; lock any that no one can explain.',
  'privilege-use': 'Ask the people behind the listed commands to explain them; treat unexplained ones as an incident.',
  'account-change': 'Match account and group changes against change requests; revert the unmatched ones.',
  'rule-match': 'Check whether the listed events were planned work.',
};

const hostId = (h: { tenant: string; host: string }): string => `${h.tenant}/${h.host}`;
const uniqSorted = (xs: string[]): string[] => [...new Set(xs)].sort();
const refKey = (r: SignalRef): string => `${r.tenant}/${r.host}/${r.id}`;
const sortRefs = (rs: SignalRef[]): SignalRef[] => [...new Map(rs.map((r) => [refKey(r), r])).values()].sort((a, b) => (refKey(a) < refKey(b) ? -1 : 1));

export function playbooks(addresses: AddressFacts[], openByKind: Array<{ kind: string; signals: SignalRef[] }>): Playbook[] {
  const out: Playbook[] = [];
  const refsOf = (a: AddressFacts, only?: (h: AddressFacts['per_host'][number]) => boolean): SignalRef[] =>
    a.per_host.filter((h) => !only || only(h)).flatMap((h) => h.signal_ids.map((id) => ({ tenant: h.tenant, host: h.host, id })));

  const succeeded = addresses.filter((a) => a.verdict === 'succeeded after failures');
  if (succeeded.length) {
    const hosts = succeeded.flatMap((a) => a.per_host);
    const accounts = uniqSorted(hosts.flatMap((h) => h.accounts));
    out.push({
      kind: 'address-succeeded-after-failures',
      action: `Block ${succeeded.length === 1 ? 'this address' : 'these addresses'} at the edge now: each failed to log in and then succeeded. `
        + `Reset the credentials of the accounts ${succeeded.length === 1 ? 'it' : 'they'} logged in as (${accounts.join(', ') || 'see the signals'}), `
        + 'end their sessions and review what was done on the hosts listed.',
      addresses: succeeded.map((a) => a.ip), hosts: uniqSorted(hosts.map(hostId)), signals: sortRefs(succeeded.flatMap((a) => refsOf(a))),
    });
  }
  const attackers = addresses.filter((a) => a.verdict === 'failed everywhere' && a.hosts >= 2);
  if (attackers.length) {
    out.push({
      kind: 'address-failed-on-several-hosts',
      action: `Block ${attackers.length === 1 ? 'this address' : 'these addresses'} at the edge: ${attackers.length === 1 ? 'it' : 'each'} tried to log in on several hosts and never succeeded.`,
      addresses: attackers.map((a) => a.ip), hosts: uniqSorted(attackers.flatMap((a) => a.per_host.map(hostId))),
      signals: sortRefs(attackers.flatMap((a) => refsOf(a))),
    });
  }
  const mixed = addresses.filter((a) => a.verdict === 'mixed');
  if (mixed.length) {
    out.push({
      kind: 'address-mixed',
      action: 'Find out whose these addresses are: they logged in on some hosts and only failed on others. If they are yours '
        + '(office, VPN, bastion), nothing is wrong; if not, block them and review the logins.',
      addresses: mixed.map((a) => a.ip), hosts: uniqSorted(mixed.flatMap((a) => a.per_host.map(hostId))), signals: sortRefs(mixed.flatMap((a) => refsOf(a))),
    });
  }
  for (const k of [...openByKind].sort((a, b) => b.signals.length - a.signals.length || (a.kind < b.kind ? -1 : 1))) {
    out.push({ kind: k.kind, action: PLAYBOOKS[k.kind] ?? PLAYBOOKS['rule-match']!, addresses: [],
      hosts: uniqSorted(k.signals.map(hostId)), signals: sortRefs(k.signals) });
  }
  return out;
}
