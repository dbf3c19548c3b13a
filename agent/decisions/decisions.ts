// agent/decisions/decisions.ts: analyst decisions on signals, in an append-only log under the state
// directory (decisions.jsonl). A later decision on the same signal supersedes an earlier one for "current
// status", but every entry stays: the weekly report and the audit bundle show the whole history.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nextPrev } from './chain.js';
import { withLock } from './lock.js';
import { SentraError } from '../errors.js';
import { appendDurably, readJsonLines } from '../store/atomic.js';
import { nowDate } from '../clock.js';

export const DECISION_STATUSES = ['reviewed', 'resolved', 'false-positive', 'escalated'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/** A signal is closed by a decision that says it was dealt with or was no threat; the others leave it open. */
export const isClosing = (status: DecisionStatus | undefined): boolean => status === 'resolved' || status === 'false-positive';

export interface Decision {
  at: string;
  signal_id: string;
  status: DecisionStatus;
  note: string;
  by: string;
  /** SHA-256 of the log's previous line (see chain.ts). */
  prev?: string;
}

export const decisionsPath = (stateDir: string): string => join(stateDir, 'decisions.jsonl');

export function validateDecision(d: Omit<Decision, 'at'>): void {
  if (!/^[0-9a-f]{12}$/.test(d.signal_id)) throw new SentraError('ERR_USAGE', `"${d.signal_id}" is not a signal id (12 hex characters)`);
  if (!DECISION_STATUSES.includes(d.status)) {
    throw new SentraError('ERR_USAGE', `--status must be one of ${DECISION_STATUSES.join(', ')}, not "${d.status}"`);
  }
  if (!d.by.trim()) throw new SentraError('ERR_USAGE', '--by must name who decided');
  // A newline or escape sequence in a name or note could fake a line of the text report or the terminal.
  if (/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(d.by)) throw new SentraError('ERR_USAGE', '--by must be one line of printable text');
  if (d.by.length > 200) throw new SentraError('ERR_USAGE', '--by is longer than 200 characters');
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(d.note)) {
    throw new SentraError('ERR_USAGE', '--note must be printable text (line breaks and tabs are allowed)');
  }
  if (d.note.length > 4000) throw new SentraError('ERR_USAGE', '--note is longer than 4000 characters');
}

export function appendDecision(stateDir: string, d: Omit<Decision, 'at'>, now = nowDate()): Decision {
  validateDecision(d);
  const path = decisionsPath(stateDir);
  return withLock(path, () => {
    const entry: Decision = { at: now.toISOString(), signal_id: d.signal_id, status: d.status, note: d.note, by: d.by, prev: nextPrev(lastLine(path)) };
    appendDurably(path, `${JSON.stringify(entry)}\n`);
    return entry;
  });
}

/** The log's last complete line, if any. */
function lastLine(path: string): string | undefined {
  return rawDecisionLines(path).at(-1);
}

/** The log's lines exactly as written (for the chain), without a torn last line. */
export function rawDecisionLines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => {
    if (!l) return false;
    try { JSON.parse(l); return true; } catch { return false; }
  });
}

/** Every decision, oldest first; a torn last line (crash mid-append) is skipped. */
export function readDecisions(stateDir: string): Decision[] {
  return readJsonLines<Decision>(decisionsPath(stateDir));
}
