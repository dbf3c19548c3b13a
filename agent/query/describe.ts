// agent/query/describe.ts: a filter in plain words, shown before the answer so the analyst can tell how the
// question was understood ("Successful logins from a new address, by alice, on web-01, last week (…)").
import type { QueryFilter } from './filter.js';
import { SUBJECT_RULES } from './subjects.js';

export function describeFilter(f: QueryFilter): string {
  const what = f.subject === 'incidents' ? 'incidents' : f.subject === 'top-addresses' ? 'source addresses ranked by their log lines'
    : SUBJECT_RULES[f.subject].words;
  const parts = [what.charAt(0).toUpperCase() + what.slice(1)];
  if (f.newOnly) parts.push('from an address new for the account');
  if (f.offHours) parts.push('outside business hours');
  if (f.account !== undefined) parts.push(`involving the account ${f.account}`);
  if (f.address !== undefined) parts.push(`involving the address ${f.address}`);
  if (f.host !== undefined) parts.push(`on ${f.host}`);
  if (f.band) parts.push(f.band === 'high' ? 'of high risk' : `of ${f.band} risk or above`);
  parts.push(f.time_phrase ?? `from ${f.since} until ${f.until}`);
  return `${parts.join(', ')}; at most ${f.limit} rows.`;
}
