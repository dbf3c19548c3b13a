// agent/correlate/incident.ts: a chain of signals → an Incident: stable id, timeline in event-time order,
// one risk and band, one calm explanation of the whole story, and the first thing to do.
import { createHash } from 'node:crypto';
import type { Incident, Signal, Tactic, TimelineStep } from '../model.js';
import { bandOf } from '../score/score.js';
import type { Chain } from './chain.js';
import { describeStep, TACTIC_ORDER, tacticOf } from './describe.js';
import { sourceOf } from './facts.js';

/** Same opening signal → same incident id, on every run and machine; a chain that grows keeps it. */
export function incidentId(scope: 'host' | 'fleet', openedBy: string): string {
  return createHash('sha256').update(`incident\0${scope}\0${openedBy}`).digest('hex').slice(0, 12);
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
const when = (t: number): string => `${new Date(t).toISOString().slice(11, 16)} UTC on ${new Date(t).toISOString().slice(0, 10)}`;

/** Risk of the story: its riskiest signal, raised 0.05 for every further attack stage it shows. */
export function storyRisk(signals: readonly Signal[], tactics: number): number {
  const max = Math.max(0, ...signals.map((s) => s.risk));
  return round2(Math.min(1, max + 0.05 * Math.max(0, tactics - 1)));
}

export function toIncident(chain: Chain): Incident {
  const members = chain.members;
  const signals = members.map((m) => m.signal);
  // Event-time order; at the same time, the earlier tactic, then the order the chain linked them in.
  const timeline: TimelineStep[] = members.map((m, n) => ({ n, step: {
    time: new Date(m.at).toISOString(), signal_id: m.signal.id, host: m.signal.host, tactic: tacticOf(m.signal), description: describeStep(m.signal),
  } })).sort((a, b) => (a.step.time < b.step.time ? -1 : a.step.time > b.step.time ? 1
    : TACTIC_ORDER.indexOf(a.step.tactic) - TACTIC_ORDER.indexOf(b.step.tactic) || a.n - b.n)).map((x) => x.step);
  const tactics = TACTIC_ORDER.filter((t) => timeline.some((x) => x.tactic === t));
  const risk = storyRisk(signals, tactics.length);
  const band = bandOf(risk);
  const suppressed = signals.every((s) => s.suppressed);
  const accounts = [...chain.accounts].filter(([, e]) => e.role !== 'acquired').map(([n]) => n);
  const addresses = sorted([...chain.addresses.keys()]);
  const hosts = sorted(signals.map((s) => s.host));
  const times = members.map((m) => m.at).concat(signals.map((s) => Date.parse(s.last_seen)));
  const first = Math.min(...timeline.map((x) => Date.parse(x.time)));
  const accessAt = Date.parse(chain.seed.first_seen);
  return {
    id: incidentId('host', chain.seed.id),
    scope: 'host',
    title: titleOf(chain, hosts),
    hosts,
    first_seen: new Date(first).toISOString(),
    last_seen: new Date(Math.max(...times)).toISOString(),
    signals: timeline.map((x) => x.signal_id),
    entities: { addresses, accounts: sorted(accounts) },
    timeline,
    links: members.map((m) => ({ signal_id: m.signal.id, linked_to: m.linkedTo, reason: m.reason })),
    tactics,
    risk,
    band,
    action_required: !suppressed && (band === 'high' || band === 'medium'),
    explanation: explain(chain, hosts, tactics, accessAt),
    recommended_action: firstAction(chain, addresses, accessAt),
    suppressed,
    mitre: sorted(signals.flatMap((s) => s.mitre)),
    soc2: sorted(signals.flatMap((s) => s.soc2)),
    iso27001: sorted(signals.flatMap((s) => s.iso27001)),
  };
}

function roleNames(chain: Chain, role: string): string[] {
  return [...chain.accounts].filter(([, e]) => e.role === role).map(([n]) => n).sort();
}

function titleOf(chain: Chain, hosts: string[]): string {
  const who = roleNames(chain, 'compromised')[0];
  const src = sourceOf(chain.seed);
  return `Likely intrusion on ${hosts.join(', ')}${who ? `: ${who}` : ''}${src ? ` from ${src}` : ''}`;
}

function explain(chain: Chain, hosts: string[], tactics: Tactic[], accessAt: number): string {
  const kinds = (k: string): Signal[] => chain.members.map((m) => m.signal).filter((s) => s.kind === k);
  const parts: string[] = [];
  const addresses = [...chain.addresses.keys()].sort();
  const compromised = roleNames(chain, 'compromised');
  const guessed = kinds('ssh-brute-force').length + kinds('ssh-password-spray').length + kinds('ssh-distributed-guessing').length > 0
    || chain.seed.kind === 'ssh-success-after-failures';
  parts.push(`${addresses.length ? addresses.join(', ') : 'Someone'}${guessed ? ' guessed passwords and' : ''} got in as ${compromised.join(', ') || 'an account'} at ${when(accessAt)}`);
  const acquired = roleNames(chain, 'acquired');
  if (acquired.length) parts.push(`then acted as ${acquired.join(', ')}`);
  const created = roleNames(chain, 'created');
  if (created.length) parts.push(`created the account${created.length > 1 ? 's' : ''} ${created.join(', ')}`);
  const changed = roleNames(chain, 'changed');
  if (changed.length || kinds('account-change').some((s) => compromised.includes(String(s.entities.target_user)))) {
    const names = sorted([...changed, ...kinds('account-change').map((s) => String(s.entities.target_user ?? s.entities.group)).filter((n) => compromised.includes(n))]);
    parts.push(`changed ${names.join(', ')}`);
  }
  const persist = chain.members.map((m) => m.signal).filter((s) => s.kind === 'rule-match' && s.intent === 'persistence');
  if (persist.length) parts.push(`left a way back in (${sorted(persist.map((s) => String(s.facts.rule_title ?? s.title).toLowerCase())).join('; ')})`);
  const laterLogins = chain.members.filter((m) => m.signal.kind === 'remote-login' && created.concat(changed).includes(String(m.signal.entities.user)));
  if (laterLogins.length) parts.push(`and later logged in as ${sorted(laterLogins.map((m) => String(m.signal.entities.user))).join(', ')}`);
  const last = parts.pop()!;
  const story = parts.length ? `${parts.join(', ')}${last.startsWith('and ') ? ', ' : ', and '}${last}` : last;
  return `On ${hosts.join(', ')}, ${story}. `
    + `These ${chain.members.length} signals, from ${tactics.map((t) => t.replace('-', ' ')).join(' to ')}, read as one story: treat them as one likely intrusion rather than separate events.`;
}

function firstAction(chain: Chain, addresses: string[], accessAt: number): string {
  const lock = sorted([...chain.accounts].filter(([n, e]) => e.role !== 'acquired' && n !== 'root').map(([n]) => n));
  const steps: string[] = [];
  if (lock.length) steps.push(`lock ${lock.join(' and ')} (usermod -L) and end ${lock.length > 1 ? 'their' : 'its'} sessions (loginctl terminate-user)`);
  if (addresses.length) steps.push(`block ${addresses.join(', ')} at the firewall`);
  const persist = chain.members.some((m) => m.signal.intent === 'persistence' || m.signal.kind === 'account-change');
  steps.push(`review everything done on ${sorted(chain.members.map((m) => m.signal.host)).join(', ')} since ${when(accessAt)}`
    + (persist ? ', removing accounts, group memberships, keys and scheduled jobs added then' : ''));
  const text = steps.join(', then ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}
