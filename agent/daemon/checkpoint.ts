// agent/daemon/checkpoint.ts: state.json in the state directory: the source positions and the aggregation
// state, saved together (atomically) only after the signals derived from those lines are in the store.
import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, statSync } from 'node:fs';
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

const isInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Why a checkpoint cannot be trusted, or null. A file position must end a line of the file it names. */
function checkpointProblem(name: string, c: unknown): string | null {
  if (c === null || typeof c !== 'object') return `sources.${name} is not an object`;
  const cp = c as Record<string, unknown>;
  if (cp.kind === 'journald') {
    if (cp.cursor !== null && typeof cp.cursor !== 'string') return `sources.${name}.cursor is not a string`;
    if (cp.realtime_us !== null && !isInt(cp.realtime_us)) return `sources.${name}.realtime_us is not a time`;
    return null;
  }
  if (cp.kind !== 'file') return `sources.${name}.kind is neither file nor journald`;
  if (typeof cp.path !== 'string') return `sources.${name}.path is not a string`;
  for (const k of ['dev', 'ino', 'offset', 'line']) if (!isInt(cp[k])) return `sources.${name}.${k} is not a whole number`;
  if (cp.first_line !== null && (typeof cp.first_line !== 'string' || !/^[0-9a-f]{32}$/.test(cp.first_line))) return `sources.${name}.first_line is not a line hash`;
  return lineBoundaryProblem(name, cp as unknown as Checkpoint & { kind: 'file' });
}

/** A position inside a line of the same file (not after a newline) would count part of the file twice. */
function lineBoundaryProblem(name: string, cp: Checkpoint & { kind: 'file' }): string | null {
  if (cp.offset === 0) return null;
  let fd: number | undefined;
  try {
    const st = statSync(cp.path);
    if (st.ino !== cp.ino || st.dev !== cp.dev || st.size < cp.offset) return null; // rotated or truncated: the source handles it
    fd = openSync(cp.path, 'r');
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, cp.offset - 1);
    return b[0] === 10 ? null : `sources.${name}.offset ${cp.offset} is not at the end of a line of ${cp.path}`;
  } catch {
    return null; // unreadable now: the source reports it
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Why this parsed state.json cannot be used, or null. */
export function stateProblem(s: unknown): string | null {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return 'it is not an object';
  const st = s as Record<string, unknown>;
  if (st.version !== 1) return `unknown state version ${JSON.stringify(st.version)}`;
  if (typeof st.saved_at !== 'string' || Number.isNaN(Date.parse(st.saved_at))) return 'saved_at is not a time';
  if (typeof st.rules_version !== 'string') return 'rules_version is not a string';
  if (st.sources === null || typeof st.sources !== 'object' || Array.isArray(st.sources)) return 'sources is not an object';
  for (const [name, c] of Object.entries(st.sources)) {
    const p = checkpointProblem(name, c);
    if (p) return p;
  }
  if (st.aggregation === null || typeof st.aggregation !== 'object' || Array.isArray(st.aggregation)) return 'aggregation is not an object';
  return null;
}

/** Keeps a state that cannot be used aside, never silently lost, and says so. */
export function setAside(stateDir: string, why: string, log: (msg: string) => void): void {
  const path = statePath(stateDir);
  const aside = `${path}.damaged-${now()}`;
  if (existsSync(path)) renameSync(path, aside);
  log(`state.json cannot be used (${why}); kept as ${aside}. Signals already stored keep their versions `
    + '(a lower count never replaces a stored one)');
}

const previousPath = (stateDir: string): string => `${statePath(stateDir)}.prev`;

function tryRead(path: string): { state?: SavedState; problem?: string } {
  try {
    const s: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const problem = stateProblem(s);
    return problem === null ? { state: s as SavedState } : { problem };
  } catch (err) {
    return { problem: (err as Error).message };
  }
}

/**
 * The saved state, or undefined on a first start. One that cannot be trusted is set aside (see setAside) and
 * the generation before it (state.json.prev) is used when it can be; only when neither can is everything
 * read again from the start.
 */
export function readState(stateDir: string, log: (msg: string) => void): SavedState | undefined {
  const path = statePath(stateDir);
  const prev = previousPath(stateDir);
  if (existsSync(path)) {
    const current = tryRead(path);
    if (current.state) return current.state;
    setAside(stateDir, current.problem!, log);
  }
  if (!existsSync(prev)) return undefined;
  const older = tryRead(prev);
  if (older.state) {
    log(`using the previous state.json generation (saved ${older.state.saved_at}): lines after it are read again, and counted once`);
    return older.state;
  }
  log(`the previous state.json generation cannot be used either (${older.problem})`);
  return undefined;
}

/** Writes a new generation, keeping the one before as state.json.prev (a crash between the two renames leaves prev). */
export function writeState(stateDir: string, state: SavedState): void {
  const path = statePath(stateDir);
  if (existsSync(path)) renameSync(path, previousPath(stateDir));
  writeFileAtomic(path, JSON.stringify(state));
}
