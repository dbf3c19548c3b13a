// agent/cli/exit.ts: exit codes scripts can rely on, and how errors reach the terminal.
import { isSentraError } from '../errors.js';
import { redact } from '../redact.js';

export const EXIT = {
  OK: 0,
  /** A lookup found nothing (e.g. `scan --explain` for an id not in the input). */
  NOT_FOUND: 1,
  /** Usage or input error: bad flags, missing files, invalid rules, overrides or config. */
  USAGE: 2,
  /** A bug or an environment failure Sentra did not expect. */
  INTERNAL: 3,
  /** `status`: the agent runs but cannot store, checkpoint or read (the reason is printed). */
  DEGRADED: 4,
} as const;

export function reportError(err: unknown): number {
  if (isSentraError(err)) {
    process.stderr.write(`sentra: ${redact(err.message)} [${err.code}]\n`);
    return EXIT.USAGE;
  }
  process.stderr.write(`sentra: unexpected error: ${redact(err instanceof Error ? err.stack ?? err.message : String(err))}\n`);
  return EXIT.INTERNAL;
}
