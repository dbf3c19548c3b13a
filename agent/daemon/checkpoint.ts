// agent/daemon/checkpoint.ts: state.json in the state directory: the source positions and the aggregation
// state, saved together (atomically) only after the signals derived from those lines are in the store.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint } from '../sources/source.js';
import { writeFileAtomic } from '../store/atomic.js';
import { now } from '../clock.js';

export interface SavedState {
  version: 1;
  saved_at: string;
  rules_version: string;
  sources: Record<string, Checkpoint>;
  aggregation: unknown;
}

export function statePath(stateDir: string): string {
  return join(stateDir, 'state.json');
}

/** The saved state, or undefined on a first start. A damaged file is kept aside, never silently lost. */
export function readState(stateDir: string, log: (msg: string) => void): SavedState | undefined {
  const path = statePath(stateDir);
  if (!existsSync(path)) return undefined;
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as SavedState;
    if (s.version !== 1) throw new Error(`unknown state version ${String(s.version)}`);
    return s;
  } catch (err) {
    const aside = `${path}.damaged-${now()}`;
    renameSync(path, aside);
    log(`state.json could not be read (${(err as Error).message}); kept as ${aside}, starting from the beginning of the sources`);
    return undefined;
  }
}

export function writeState(stateDir: string, state: SavedState): void {
  writeFileAtomic(statePath(stateDir), JSON.stringify(state));
}
