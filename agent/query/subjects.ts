// agent/query/subjects.ts: what each subject means in terms of the signals Sentra produces (the kinds in
// agent/aggregate/detectors and the rule ids in rules/), shared by the local store and the ClickHouse SQL
// so both answer alike.
import { BAND_RANK as MODEL_BAND_RANK } from '../model.js';
import type { Subject } from './filter.js';

export interface SubjectRule {
  /** Signal kinds that answer it (empty: every kind). */
  kinds: string[];
  /** Rule id prefixes one of the signal's rules must have (empty: any). */
  rulePrefixes: string[];
  /** Signal intent it must have (failures are credential-access signals). */
  intent?: string;
  /** Words for `understood`. */
  words: string;
}

export const SUBJECT_RULES: Record<Exclude<Subject, 'incidents' | 'top-addresses'>, SubjectRule> = {
  // remote-login: one signal per account, host and day of successful logins (detectors/logins.ts).
  logins: { kinds: ['remote-login'], rulePrefixes: [], words: 'successful logins' },
  // Failed attempts are told per address (brute force, spraying), per account (distributed guessing) and as
  // background noise; all are credential-access signals.
  failures: { kinds: [], rulePrefixes: [], intent: 'credential-access', words: 'failed logins and guessing' },
  // privilege-use: one signal per acting account, host and day (detectors/privilege.ts); rules/sudo.yaml ids
  // start sudo-, rules/su.yaml ids su- and runuser-.
  sudo: { kinds: ['privilege-use'], rulePrefixes: ['sudo-'], words: 'sudo use' },
  su: { kinds: ['privilege-use'], rulePrefixes: ['su-', 'runuser-'], words: 'su use' },
  'account-changes': { kinds: ['account-change'], rulePrefixes: [], words: 'account and group changes' },
  signals: { kinds: [], rulePrefixes: [], words: 'signals' },
  timeline: { kinds: [], rulePrefixes: [], words: 'everything Sentra recorded, in time order' },
};

/** The factor names (agent/score/factors.ts) that mark a new address and use outside business hours. */
export const NEW_SOURCE_FACTOR = 'new_source';
export const OFF_HOURS_FACTOR = 'off_hours';
/** Band order, indexable by the plain strings rows and filters carry (agent/model.ts). */
export const BAND_RANK: Readonly<Record<string, number>> = MODEL_BAND_RANK;
