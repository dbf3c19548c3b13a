// agent/aggregate/guessing.ts: which kind of password guessing a source's failures tell, from their counts
// alone, so the label is deterministic: many names tried a few times each is spraying (ATT&CK T1110.003),
// anything else is guessing (T1110.001). The rules label each failure line as guessing; a signal whose
// lines together tell a spray carries T1110.003 in its place.
import type { DetectionConfig } from '../config/detection.js';
import type { CappedCounter } from './draft.js';

/** At most this many tries per name on average, across at least password_spray.min_users names, is a spray. */
export const SPRAY_MAX_TRIES_PER_NAME = 3;

export const GUESSING = 'T1110.001';
export const SPRAYING = 'T1110.003';

/**
 * Judged on the names a capped counter tracks one by one (the first ones tried), whose counts are exact:
 * at least password_spray.min_users names, tried at most SPRAY_MAX_TRIES_PER_NAME times each on average.
 */
export function isSpray(users: CappedCounter, cfg: DetectionConfig): boolean {
  let tries = 0;
  for (const n of users.counts.values()) tries += n;
  return users.size >= cfg.password_spray.min_users && tries <= users.size * SPRAY_MAX_TRIES_PER_NAME;
}

/** Relabels password guessing as spraying in `mitre` when the counts tell a spray. */
export function labelGuessing(mitre: Set<string>, users: CappedCounter, cfg: DetectionConfig): void {
  if (!mitre.has(GUESSING) || !isSpray(users, cfg)) return;
  mitre.delete(GUESSING);
  mitre.add(SPRAYING);
}
