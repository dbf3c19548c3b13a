// agent/query/filter.ts: the filter a question becomes, whether the parser or a model wrote it.
// JSON-serialisable on purpose: `sentra ask --format json` prints it, and the UI shows it.

export const SUBJECTS = [
  'logins', 'failures', 'sudo', 'su', 'account-changes', 'incidents', 'signals', 'top-addresses', 'timeline',
] as const;
export type Subject = typeof SUBJECTS[number];

export interface QueryFilter {
  subject: Subject;
  /** ISO 8601 UTC, inclusive. */
  since: string;
  /** ISO 8601 UTC, exclusive. */
  until: string;
  host?: string;
  account?: string;
  address?: string;
  /** Only logins from an address not seen before for the account (new-source signals). */
  newOnly?: boolean;
  /** Only logins outside business hours. */
  offHours?: boolean;
  /** Only this band and above. */
  band?: 'info' | 'low' | 'medium' | 'high';
  limit: number;
  /** The time phrase as understood, in words ("last week: 2026-03-02 to 2026-03-08"). */
  time_phrase: string;
}
