// test/helpers/pin-clock.ts: vitest setup file (vitest.config.ts). Pins Sentra's clock for the whole suite,
// so no test depends on the day it runs: in-process code reads agent/clock.ts, and every child `sentra`
// process gets SENTRA_NOW (see childEnv). The pinned clock runs on at the real rate from TEST_NOW, so
// timers and polling still behave. SENTRA_TEST_NOW runs the suite as of another instant.
import { clockFrom, now, setClock } from '../../agent/clock.js';

export const TEST_NOW = Date.parse(process.env.SENTRA_TEST_NOW ?? '2026-12-01T12:00:00Z');

setClock(clockFrom(TEST_NOW));
process.env.SENTRA_NOW = String(TEST_NOW);

/** The environment for a child process: its clock continues this process's pinned clock. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, SENTRA_NOW: String(now()), ...extra };
}
