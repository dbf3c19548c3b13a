// agent/correlate/chain.ts: grows chains of signals on one host from the signal that opened each one (a
// suspicious way in), by explicit links only: the same source address (failures → success, later logins), the
// account that got in then using privilege, being changed or creating accounts, accounts created or changed
// then logging in or being used, and persistence by an account already in the chain. Every link has a reason
// and must fall within the window (event time) of the step it links from. Pure and deterministic: the same set
// of signals always gives the same chains, whatever order they arrived in.
import type { Signal } from '../model.js';
import { describeAccountChange, firstActivityAt, list, sourceOf, strings } from './facts.js';

/** How an account came into the chain; decides which links it may make. */
export type Role = 'compromised' | 'created' | 'changed' | 'acquired';

interface Entity {
  since: number;
  role: Role;
  via: string;
  why: string;
}

export interface Member {
  signal: Signal;
  linkedTo: string | null;
  reason: string;
  /** When the chain's part of this signal starts (a day's signal may begin before the chain did). */
  at: number;
}

export interface Chain {
  seed: Signal;
  members: Member[];
  accounts: Map<string, Entity>;
  addresses: Map<string, Entity>;
}

const FAILURE_KINDS = new Set(['ssh-brute-force', 'ssh-password-spray']);
const ms = (iso: string): number => Date.parse(iso);
const hhmm = (t: number): string => new Date(t).toISOString().slice(11, 16);

/** Signals that never join a story: background noise, overflow groups, planned maintenance under an override. */
export function eligible(s: Signal): boolean {
  if (s.kind === 'ssh-background-noise' || s.facts.overflow === true) return false;
  return !(s.suppressed && s.intent === 'maintenance');
}

/** A suspicious way in: a login after failures, a UID-0 account's session, a flagged login from a new address. */
export function isSeed(s: Signal): boolean {
  if (s.kind === 'ssh-success-after-failures' || s.kind === 'uid0-login') return true;
  return s.kind === 'remote-login' && s.action_required && s.factors.some((f) => f.name === 'new_source');
}

function openChain(seed: Signal): Chain {
  const c: Chain = { seed, members: [], accounts: new Map(), addresses: new Map() };
  const at = ms(seed.first_seen);
  const user = typeof seed.entities.user === 'string' ? seed.entities.user : undefined;
  let reason: string;
  if (seed.kind === 'ssh-success-after-failures') {
    const src = sourceOf(seed) ?? 'an address';
    reason = `${src} logged in as ${user ?? 'an account'} after ${String(seed.facts.failures_before ?? 'repeated')} failed attempts`;
    if (src !== 'an address') c.addresses.set(src, { since: ms(String(seed.facts.first_failure ?? seed.first_seen)), role: 'compromised', via: seed.id, why: 'the address that got in' });
  } else if (seed.kind === 'uid0-login') {
    reason = `${user ?? 'an account'}, an account with UID 0 other than root, opened a session`;
  } else {
    const fresh = strings(seed.facts.new_sources);
    reason = `${user ?? 'an account'} logged in from ${fresh.join(', ') || 'a new address'}, never seen for it before`;
    for (const a of fresh) c.addresses.set(a, { since: at, role: 'compromised', via: seed.id, why: `the new address ${user ?? ''} logged in from` });
  }
  if (user) c.accounts.set(user, { since: at, role: 'compromised', via: seed.id, why: `logged in at ${hhmm(at)}` });
  c.members.push({ signal: seed, linkedTo: null, reason, at });
  return c;
}

/** Grows chains from every seed, earliest first; a signal joins the first chain that links it. */
export function buildChains(signals: readonly Signal[], windowMs: number): Chain[] {
  const pool = signals.filter(eligible).sort((a, b) => (a.first_seen < b.first_seen ? -1 : a.first_seen > b.first_seen ? 1 : a.id < b.id ? -1 : 1));
  const taken = new Set<string>();
  const chains: Chain[] = [];
  for (const seed of pool) {
    if (!isSeed(seed) || taken.has(seed.id)) continue;
    const chain = openChain(seed);
    taken.add(seed.id);
    for (let grew = true; grew;) {
      grew = false;
      for (const s of pool) {
        if (taken.has(s.id)) continue;
        const m = linkOf(chain, s, windowMs);
        if (!m) continue;
        chain.members.push(m);
        taken.add(s.id);
        learn(chain, m);
        grew = true;
      }
    }
    chains.push(chain);
  }
  return chains.filter((c) => c.members.length > 1);
}

/** Whether [first, last] of `s` overlaps [since, since + window]. */
function within(s: Signal, since: number, windowMs: number): boolean {
  return ms(s.last_seen) >= since && ms(s.first_seen) <= since + windowMs;
}

function linkOf(c: Chain, s: Signal, w: number): Member | null {
  const user = typeof s.entities.user === 'string' ? s.entities.user : undefined;
  const target = typeof s.entities.target_user === 'string' ? s.entities.target_user : undefined;
  const at = (since: number): number => firstActivityAt(s, since);
  const seedAt = ms(c.seed.first_seen);
  // Failures from the address that got in, before it did.
  if (FAILURE_KINDS.has(s.kind)) {
    const src = sourceOf(s);
    const a = src ? c.addresses.get(src) : undefined;
    if (a && a.role === 'compromised' && ms(s.first_seen) <= seedAt && ms(s.last_seen) >= seedAt - w) {
      return { signal: s, linkedTo: a.via, at: ms(s.first_seen), reason: `the same address ${src} failed ${String(s.facts.attempts ?? s.count)} times before it got in` };
    }
    return null;
  }
  if (s.kind === 'ssh-distributed-guessing') {
    const acc = user ? c.accounts.get(user) : undefined;
    const src = list(s.entities.src_ips).find((x) => c.addresses.has(x));
    if (acc && acc.role === 'compromised' && src && ms(s.first_seen) <= seedAt && ms(s.last_seen) >= seedAt - w) {
      return { signal: s, linkedTo: acc.via, at: ms(s.first_seen), reason: `${src}, which got in, was among the addresses guessing ${user}'s password` };
    }
    return null;
  }
  if (s.kind === 'remote-login' || s.kind === 'ssh-success-after-failures') {
    for (const src of [...list(s.entities.src_ips), ...list(s.entities.src_hosts), ...(sourceOf(s) ? [sourceOf(s)!] : [])]) {
      const a = c.addresses.get(src);
      if (a && within(s, a.since, w)) return { signal: s, linkedTo: a.via, at: at(a.since), reason: `${user ?? 'an account'} logged in from ${src}, ${a.why}` };
    }
    const acc = user ? c.accounts.get(user) : undefined;
    if (acc && (acc.role === 'created' || acc.role === 'changed') && within(s, acc.since, w)) {
      return { signal: s, linkedTo: acc.via, at: at(acc.since), reason: `${user} logged in after it ${acc.why}` };
    }
    return null;
  }
  if (s.kind === 'uid0-login') {
    const acc = user ? c.accounts.get(user) : undefined;
    if (acc && acc.role !== 'acquired' && within(s, acc.since, w)) {
      return { signal: s, linkedTo: acc.via, at: at(acc.since), reason: `${user}, which ${acc.why}, opened a session with UID 0` };
    }
    return null;
  }
  if (s.kind === 'privilege-use') {
    const acc = user ? c.accounts.get(user) : undefined;
    if (acc && acc.role !== 'acquired' && within(s, acc.since, w)) {
      const targets = list(s.entities.target_users);
      return { signal: s, linkedTo: acc.via, at: at(acc.since), reason: `${user}, which ${acc.why}, then used privilege${targets.length ? ` as ${targets.join(', ')}` : ''}` };
    }
    return null;
  }
  if (s.kind === 'account-change') return accountLink(c, s, target, w, at);
  if (s.intent === 'persistence' || s.intent === 'defense-impairment') {
    for (const name of [user, target]) {
      const acc = name ? c.accounts.get(name) : undefined;
      if (acc && within(s, acc.since, w)) {
        return { signal: s, linkedTo: acc.via, at: at(acc.since), reason: `${String(s.facts.rule_title ?? s.title)}, by ${name}, which ${acc.why}` };
      }
    }
  }
  return null;
}

function accountLink(c: Chain, s: Signal, target: string | undefined, w: number, at: (since: number) => number): Member | null {
  const what = describeAccountChange(s);
  // The account in the chain is itself changed (e.g. added to the sudo group).
  const own = target ? c.accounts.get(target) : undefined;
  if (own && own.role !== 'acquired' && within(s, own.since, w)) {
    return { signal: s, linkedTo: own.via, at: at(own.since), reason: `${target}, which ${own.why}, was changed: ${what}` };
  }
  // Changed by an account in the chain, by name.
  for (const actor of list(s.entities.users)) {
    const acc = c.accounts.get(actor);
    if (acc && within(s, acc.since, w)) return { signal: s, linkedTo: acc.via, at: at(acc.since), reason: `${actor}, which ${acc.why}, made the change: ${what}` };
  }
  if (!target) return null;
  // Asked for by a privileged command of an account in the chain (`sudo useradd … support`).
  const word = new RegExp(`(^|[\\s'"=:,])${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s'"=:,])`);
  for (const m of c.members) {
    if (m.signal.kind !== 'privilege-use') continue;
    const cmd = list(m.signal.entities.commands).find((x) => word.test(x));
    if (cmd && within(s, m.at, w)) {
      return { signal: s, linkedTo: m.signal.id, at: at(m.at), reason: `${String(m.signal.entities.user)} ran "${cmd.slice(0, 120)}" with privilege: ${what}` };
    }
  }
  // Made by root, with no other actor named, after an account in the chain became root.
  const root = c.accounts.get('root');
  const actors = list(s.entities.users);
  if (root && root.role === 'acquired' && actors.every((a) => a === 'root') && within(s, root.since, w)) {
    return { signal: s, linkedTo: root.via, at: at(root.since), reason: `made as root, which ${root.why}: ${what}` };
  }
  return null;
}

/** What a new member brings into the chain: accounts it reached, created or changed, and its addresses. */
function learn(c: Chain, m: Member): void {
  const s = m.signal;
  const add = (map: Map<string, Entity>, name: string, e: Entity): void => { if (!map.has(name)) map.set(name, e); };
  const user = typeof s.entities.user === 'string' ? s.entities.user : undefined;
  if (s.kind === 'remote-login' || s.kind === 'ssh-success-after-failures') {
    if (user) add(c.accounts, user, { since: m.at, role: 'compromised', via: s.id, why: `logged in at ${hhmm(m.at)} from an address in this chain` });
    const known = c.accounts.get(user ?? '');
    if (known && known.role !== 'compromised') {
      for (const a of [...list(s.entities.src_ips), ...list(s.entities.src_hosts)]) add(c.addresses, a, { since: m.at, role: 'changed', via: s.id, why: `where ${user} logged in from` });
    }
  } else if (s.kind === 'privilege-use') {
    for (const t of list(s.entities.target_users)) {
      add(c.accounts, t, { since: m.at, role: 'acquired', via: s.id, why: `${user ?? 'an account in this chain'} switched to at ${hhmm(m.at)}` });
    }
  } else if (s.kind === 'account-change') {
    const target = typeof s.entities.target_user === 'string' ? s.entities.target_user : undefined;
    if (target) {
      const created = s.facts.created === true;
      add(c.accounts, target, { since: m.at, role: created ? 'created' : 'changed', via: s.id, why: `was ${created ? 'created' : 'changed'} at ${hhmm(m.at)}` });
    }
  }
}
