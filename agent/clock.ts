// agent/clock.ts: the one source of "now" (wall-clock time) for everything in Sentra that needs it:
// report periods, retention, status times, "--since 7d", live year inference, notification age.
// Event time never comes from here: signals are judged by the times in the log lines.
// Elapsed time (back-off, progress) uses performance.now(), which no clock change can move.
//
// Tests pin it (setClock), and so can anyone reproducing a run "as of" a time: SENTRA_NOW=2026-11-30T08:00:00Z
// starts the clock there, and it runs on from that instant (as faketime does), so timers still make sense.
import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

let current: Clock = systemClock;

/** Current wall-clock time in epoch milliseconds. */
export function now(): number {
  return current.now();
}

/** Current wall-clock time as a Date. */
export function nowDate(): Date {
  return new Date(current.now());
}

/** Replaces the clock for this process (tests; the CLI's SENTRA_NOW). Returns the previous one. */
export function setClock(clock: Clock): Clock {
  const before = current;
  current = clock;
  return before;
}

/** A clock that reads `start` now and runs on at the real rate. */
export function clockFrom(start: number): Clock {
  const t0 = performance.now();
  return { now: () => start + Math.floor(performance.now() - t0) };
}

/** A clock stopped at `at` (unit tests). */
export function fixedClock(at: number | string): Clock {
  const t = typeof at === 'string' ? Date.parse(at) : at;
  return { now: () => t };
}

/**
 * Reads SENTRA_NOW (an ISO 8601 time with a zone, or epoch milliseconds). Returns undefined when unset;
 * throws a plain Error naming the variable when it is set but not a time.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock | undefined {
  const v = env.SENTRA_NOW?.trim();
  if (!v) return undefined;
  const t = /^\d+$/.test(v) ? Number(v) : /(Z|[+-]\d{2}:?\d{2})$/.test(v) ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(t)) throw new Error(`SENTRA_NOW="${v}" is not an ISO 8601 time with a zone (such as 2026-11-30T08:00:00Z) or epoch milliseconds`);
  return clockFrom(t);
}
