// agent/ui/filters.ts: the list filters of the investigation view, read from the query string. Every value
// is checked; a bad one becomes a message on the page (never an exception, never echoed unescaped).
import { isIP } from 'node:net';
import type { Band } from '../model.js';
import { DECISION_STATUSES } from '../decisions/decisions.js';
import { isoDay } from '../query/time.js';

export const BANDS: readonly Band[] = ['info', 'low', 'medium', 'high'];
export const DECISION_FILTERS = ['open', 'closed', 'undecided', ...DECISION_STATUSES] as const;
export type DecisionFilter = (typeof DECISION_FILTERS)[number];

export interface ListFilter {
  /** Inclusive first day and last day (UTC, YYYY-MM-DD) as typed, and the instants they stand for. */
  from?: string;
  to?: string;
  since: number;
  until?: number;
  host?: string;
  band?: Band;
  kind?: string;
  account?: string;
  address?: string;
  decision?: DecisionFilter;
  /** 1-based page of PAGE_SIZE items. */
  page: number;
}

export const PAGE_SIZE = 100;

const DAY = 86_400_000;
/** Host names, accounts and kinds as Sentra stores them: printable, one line, not too long. */
const PLAIN = /^[^\u0000-\u001f\u007f]{1,128}$/;

/** One query-string field: undefined when absent or empty; a value `ok` refuses is named in `problems` with `why`. */
export function field(q: URLSearchParams, k: string, problems: string[], ok: (v: string) => boolean, why: string): string | undefined {
  const v = q.get(k)?.trim();
  if (!v) return undefined;
  if (ok(v)) return v;
  problems.push(`"${k}" ${why}`);
  return undefined;
}

export const isBand = (v: string): v is Band => (BANDS as readonly string[]).includes(v);
export const BAND_WHY = `must be one of ${BANDS.join(', ')}`;
export const ADDRESS_WHY = 'must be an IPv4 or IPv6 address';
const isDay = (v: string): boolean => isoDay(v) !== undefined;

/** "from" and "to" (UTC days, both included) as typed, and the window they stand for. */
export function readDays(q: URLSearchParams, problems: string[]): { from?: string; to?: string; since?: number; until?: number } {
  const from = field(q, 'from', problems, isDay, 'must be a date such as 2026-03-01');
  const to = field(q, 'to', problems, isDay, 'must be a date such as 2026-03-01');
  const since = from === undefined ? undefined : isoDay(from)!;
  const until = to === undefined ? undefined : isoDay(to)! + DAY - 1;
  return { ...(from ? { from, since } : {}), ...(to ? { to, until } : {}) };
}

export function parseFilter(q: URLSearchParams, now: number, defaultDays = 30): { filter: ListFilter; problems: string[] } {
  const problems: string[] = [];
  const { since, ...days } = readDays(q, problems);
  const f: ListFilter = { since: since ?? now - defaultDays * DAY, page: 1, ...days };
  if (since !== undefined && f.until !== undefined && f.until < since) problems.push('"to" is before "from"');
  for (const k of ['host', 'kind', 'account'] as const) {
    const v = field(q, k, problems, (x) => PLAIN.test(x), 'must be one line of at most 128 characters');
    if (v !== undefined) f[k] = v;
  }
  const address = field(q, 'address', problems, (x) => isIP(x) !== 0, ADDRESS_WHY);
  if (address !== undefined) f.address = address;
  const band = field(q, 'band', problems, isBand, BAND_WHY);
  if (band !== undefined) f.band = band as Band;
  const decision = field(q, 'decision', problems, (x) => (DECISION_FILTERS as readonly string[]).includes(x), `must be one of ${DECISION_FILTERS.join(', ')}`);
  if (decision !== undefined) f.decision = decision as DecisionFilter;
  const page = field(q, 'page', problems, (x) => /^[1-9][0-9]{0,5}$/.test(x), 'must be a page number');
  if (page !== undefined) f.page = Number(page);
  return { filter: f, problems };
}

/** The filter as a query string, to keep it in links (pages, back links). */
export function filterQuery(f: ListFilter, page = f.page): string {
  const p = new URLSearchParams();
  for (const k of ['from', 'to', 'host', 'band', 'kind', 'account', 'address', 'decision'] as const) {
    const v = f[k];
    if (v !== undefined) p.set(k, v);
  }
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}
