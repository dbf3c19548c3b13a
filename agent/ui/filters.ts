// agent/ui/filters.ts: the list filters of the investigation view, read from the query string. Every value
// is checked; a bad one becomes a message on the page (never an exception, never echoed unescaped).
import { isIP } from 'node:net';
import type { Band } from '../model.js';
import { DECISION_STATUSES } from '../decisions/decisions.js';

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
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Host names, accounts and kinds as Sentra stores them: printable, one line, not too long. */
const PLAIN = /^[^\u0000-\u001f\u007f]{1,128}$/;

export function parseFilter(q: URLSearchParams, now: number, defaultDays = 30): { filter: ListFilter; problems: string[] } {
  const problems: string[] = [];
  const f: ListFilter = { since: now - defaultDays * DAY, page: 1 };
  const get = (k: string): string | undefined => {
    const v = q.get(k)?.trim();
    return v ? v : undefined;
  };
  const day = (k: 'from' | 'to'): number | undefined => {
    const v = get(k);
    if (v === undefined) return undefined;
    const t = Date.parse(`${v}T00:00:00Z`);
    if (!DATE.test(v) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v) {
      problems.push(`"${k}" must be a date such as 2026-03-01`);
      return undefined;
    }
    f[k] = v;
    return t;
  };
  const from = day('from');
  const to = day('to');
  if (from !== undefined) f.since = from;
  if (to !== undefined) f.until = to + DAY - 1;
  if (from !== undefined && to !== undefined && to < from) problems.push('"to" is before "from"');
  for (const k of ['host', 'kind', 'account'] as const) {
    const v = get(k);
    if (v === undefined) continue;
    if (PLAIN.test(v)) f[k] = v;
    else problems.push(`"${k}" must be one line of at most 128 characters`);
  }
  const address = get('address');
  if (address !== undefined) {
    if (isIP(address)) f.address = address;
    else problems.push('"address" must be an IPv4 or IPv6 address');
  }
  const band = get('band');
  if (band !== undefined) {
    if ((BANDS as string[]).includes(band)) f.band = band as Band;
    else problems.push(`"band" must be one of ${BANDS.join(', ')}`);
  }
  const decision = get('decision');
  if (decision !== undefined) {
    if ((DECISION_FILTERS as readonly string[]).includes(decision)) f.decision = decision as DecisionFilter;
    else problems.push(`"decision" must be one of ${DECISION_FILTERS.join(', ')}`);
  }
  const page = get('page');
  if (page !== undefined) {
    if (/^[1-9][0-9]{0,5}$/.test(page)) f.page = Number(page);
    else problems.push('"page" must be a page number');
  }
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
