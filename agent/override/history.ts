// agent/override/history.ts: every version of overrides.json that was put in force, with when and its
// digest (state_dir/overrides-history.jsonl), so an auditor can see which exceptions applied when.
import { join } from 'node:path';
import { appendDurably, readJsonLines } from '../store/atomic.js';
import type { OverrideSet } from './load.js';
import { nowDate } from '../clock.js';

export interface OverridesVersion {
  loaded_at: string;
  file: string;
  sha256: string;
  overrides: unknown;
}

export const historyPath = (stateDir: string): string => join(stateDir, 'overrides-history.jsonl');

export function readHistory(stateDir: string): OverridesVersion[] {
  return readJsonLines<OverridesVersion>(historyPath(stateDir));
}

/** Records `set` unless it is the version recorded last. */
export function recordOverrides(stateDir: string, set: OverrideSet, now = nowDate()): boolean {
  if (!set.sha256) return false;
  const last = readHistory(stateDir).at(-1);
  if (last?.sha256 === set.sha256) return false;
  const v: OverridesVersion = { loaded_at: now.toISOString(), file: set.file, sha256: set.sha256, overrides: JSON.parse(set.text) as unknown };
  appendDurably(historyPath(stateDir), `${JSON.stringify(v)}\n`);
  return true;
}
