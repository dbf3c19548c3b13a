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
  time_phrase?: string;
}

export const DEFAULT_LIMIT = 50;
/** No answer shows more rows than this, whoever wrote the query. */
export const MAX_LIMIT = 1000;

/** The filter's JSON Schema: a filter from a model is checked against it (unknown fields refused). */
export const FILTER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['subject', 'since', 'until', 'limit'],
  properties: {
    subject: { enum: [...SUBJECTS] },
    since: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$' },
    until: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$' },
    host: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$' },
    account: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}\\$?$' },
    address: { type: 'string', pattern: '^[0-9A-Fa-f:.]{2,45}$' },
    newOnly: { type: 'boolean' },
    offHours: { type: 'boolean' },
    band: { enum: ['info', 'low', 'medium', 'high'] },
    limit: { type: 'integer', minimum: 1 },
    time_phrase: { type: 'string', maxLength: 200 },
  },
} as const;
