// agent/aggregate/signal-id.ts: the stable signal id and the event-time windows it is keyed on.
// Same host, kind, grouping key and window start → same 12 hex characters, on every run and machine.
import { createHash } from 'node:crypto';

export const DAY_MS = 86_400_000;

/** Signals are grouped per UTC day of event time, never of wall-clock time. */
export function dayStart(ts: number): number {
  return Math.floor(ts / DAY_MS) * DAY_MS;
}

export function signalId(host: string, kind: string, key: string, windowStart: number): string {
  return createHash('sha256')
    .update(`${host}\0${kind}\0${key}\0${new Date(windowStart).toISOString()}`)
    .digest('hex')
    .slice(0, 12);
}

/** A copy of `s` that does not pin the (large) string it was sliced from, for state that outlives a batch. */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}
