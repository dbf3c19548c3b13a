// agent/correlate/facts.ts: small readers of a signal's entities and facts that correlation needs.
import type { Signal } from '../model.js';

export function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The single remote peer a signal is about (its address, else its host name). */
export function sourceOf(s: Signal): string | undefined {
  const v = s.entities.src_ip ?? s.entities.src_host;
  return typeof v === 'string' ? v : undefined;
}

/**
 * When the signal's activity at or after `since` begins: the earliest evidence line from then on, else
 * `since` itself (a day's signal can start before the chain did) or the signal's first event if later.
 */
export function firstActivityAt(s: Signal, since: number): number {
  const first = Date.parse(s.first_seen);
  if (first >= since) return first;
  let best = Infinity;
  for (const e of s.evidence) {
    const t = Date.parse(e.ts);
    if (t >= since && t < best) best = t;
  }
  return Number.isFinite(best) ? best : since;
}

/** "created, added to sudo" style summary of an account-change signal. */
export function describeAccountChange(s: Signal): string {
  const bits: string[] = [];
  if (s.facts.created === true) bits.push('created');
  if (s.factors.some((f) => f.name === 'uid0_created')) bits.push('given UID 0');
  const groups = strings(s.facts.privileged_groups);
  if (groups.length) bits.push(`added to ${groups.join(', ')}`);
  if (s.facts.deleted === true) bits.push('deleted');
  if (bits.length === 0) bits.push(strings(s.facts.actions).slice(0, 3).join(', ').toLowerCase() || 'changed');
  const name = s.entities.target_user ?? s.entities.group;
  return `${typeof name === 'string' ? name : 'an account'} ${bits.join(', ')}`;
}
