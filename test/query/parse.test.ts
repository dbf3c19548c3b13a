// The deterministic parser: a question set with the filter each question must become, against a pinned
// "now" (Wednesday 2026-03-11 15:30 UTC), and questions it must say it did not understand.
import { describe, expect, it } from 'vitest';
import type { QueryFilter } from '../../agent/query/filter.js';
import { parseQuestion } from '../../agent/query/parse.js';

const NOW = Date.parse('2026-03-11T15:30:00Z');
const N = '2026-03-11T15:30:00.000Z';
const d = (s: string): string => `${s}T00:00:00.000Z`;
const W7 = { since: '2026-03-04T15:30:00.000Z', until: N };
const TODAY = { since: d('2026-03-11'), until: N };
const YESTERDAY = { since: d('2026-03-10'), until: d('2026-03-11') };
const LAST_WEEK = { since: d('2026-03-02'), until: d('2026-03-09') };
const THIS_WEEK = { since: d('2026-03-09'), until: N };
const THIS_MONTH = { since: d('2026-03-01'), until: N };
const LAST_MONTH = { since: d('2026-02-01'), until: d('2026-03-01') };

type Expect = Omit<QueryFilter, 'time_phrase' | 'limit'> & { limit?: number };

export const QUESTIONS: Array<[string, Expect]> = [
  // logins
  ['who logged in yesterday', { subject: 'logins', ...YESTERDAY }],
  ['Who logged in today?', { subject: 'logins', ...TODAY }],
  ['logins last week', { subject: 'logins', ...LAST_WEEK }],
  ['show me logins this week', { subject: 'logins', ...THIS_WEEK }],
  ['logins by alice in the last 7 days', { subject: 'logins', account: 'alice', ...W7 }],
  ['did deploy log in this month', { subject: 'logins', account: 'deploy', ...THIS_MONTH }],
  ['logins on web-01 since Monday', { subject: 'logins', host: 'web-01', ...THIS_WEEK }],
  ['logins from 203.0.113.9 last month', { subject: 'logins', address: '203.0.113.9', ...LAST_MONTH }],
  ['logins from 2001:db8::7 yesterday', { subject: 'logins', address: '2001:db8::7', ...YESTERDAY }],
  ['which accounts logged in from new addresses this month', { subject: 'logins', newOnly: true, ...THIS_MONTH }],
  ['logins from unfamiliar IPs last week', { subject: 'logins', newOnly: true, ...LAST_WEEK }],
  ['logins outside business hours last week', { subject: 'logins', offHours: true, ...LAST_WEEK }],
  ['who logged in at night', { subject: 'logins', offHours: true, ...W7 }],
  ['off-hours logins on db-02 in March', { subject: 'logins', offHours: true, host: 'db-02', ...THIS_MONTH }],
  ['new address logins for root past 24 hours', { subject: 'logins', newOnly: true, account: 'root', since: '2026-03-10T15:30:00.000Z', until: N }],
  ['ssh into web-01 by Bob.Smith on 2026-03-02', { subject: 'logins', host: 'web-01', account: 'Bob.Smith', since: d('2026-03-02'), until: d('2026-03-03') }],
  ['logins in the last 3 days', { subject: 'logins', since: '2026-03-08T15:30:00.000Z', until: N }],
  ['logins in January', { subject: 'logins', since: d('2026-01-01'), until: d('2026-02-01') }],
  ['logins in April', { subject: 'logins', since: d('2025-04-01'), until: d('2025-05-01') }],
  ['who signed in over the past 2 weeks', { subject: 'logins', since: '2026-02-25T15:30:00.000Z', until: N }],
  ['logins by svc_backup$ since 2026-03-01', { subject: 'logins', account: 'svc_backup$', ...THIS_MONTH }],
  ['from somewhere new this week', { subject: 'logins', newOnly: true, ...THIS_WEEK }],
  // failures
  ['failed logins yesterday', { subject: 'failures', ...YESTERDAY }],
  ['failed logins from 203.0.113.9 in the last 24 hours', { subject: 'failures', address: '203.0.113.9', since: '2026-03-10T15:30:00.000Z', until: N }],
  ['brute force on web-01 last week', { subject: 'failures', host: 'web-01', ...LAST_WEEK }],
  ['password spraying this month', { subject: 'failures', ...THIS_MONTH }],
  ['failures for root since Monday', { subject: 'failures', account: 'root', ...THIS_WEEK }],
  ['who attacked us in the last 7 days', { subject: 'failures', ...W7 }],
  ['high-risk failures last month', { subject: 'failures', band: 'high', ...LAST_MONTH }],
  // sudo and su
  ['who used sudo since Monday', { subject: 'sudo', ...THIS_WEEK }],
  ['sudo by deploy today', { subject: 'sudo', account: 'deploy', ...TODAY }],
  ['sudo on db-02 between 2026-03-01 and 2026-03-05', { subject: 'sudo', host: 'db-02', since: d('2026-03-01'), until: d('2026-03-06') }],
  ['sudo outside business hours this month', { subject: 'sudo', offHours: true, ...THIS_MONTH }],
  ['su use on web-01 today', { subject: 'su', host: 'web-01', ...TODAY }],
  ['who switched user last week', { subject: 'su', ...LAST_WEEK }],
  ['runuser by backup yesterday', { subject: 'su', account: 'backup', ...YESTERDAY }],
  // account changes
  ['account changes last month', { subject: 'account-changes', ...LAST_MONTH }],
  ['were any users created this week', { subject: 'account-changes', ...THIS_WEEK }],
  ['new accounts in March', { subject: 'account-changes', ...THIS_MONTH }],
  ['password changes yesterday', { subject: 'account-changes', ...YESTERDAY }],
  ['group membership changes on web-01', { subject: 'account-changes', host: 'web-01', ...W7 }],
  ['users deleted since 2026-03-01', { subject: 'account-changes', ...THIS_MONTH }],
  // incidents
  ['incidents this week', { subject: 'incidents', ...THIS_WEEK }],
  ['high incidents last month', { subject: 'incidents', band: 'high', ...LAST_MONTH }],
  ['incidents on db-02 in March', { subject: 'incidents', host: 'db-02', ...THIS_MONTH }],
  ['incidents involving 198.51.100.77', { subject: 'incidents', address: '198.51.100.77', ...W7 }],
  // top addresses
  ['top addresses in March', { subject: 'top-addresses', ...THIS_MONTH, limit: 10 }],
  ['top 5 addresses last week', { subject: 'top-addresses', ...LAST_WEEK, limit: 5 }],
  ['which IPs were busiest yesterday', { subject: 'top-addresses', ...YESTERDAY, limit: 10 }],
  ['most active source addresses on web-01 this month', { subject: 'top-addresses', host: 'web-01', ...THIS_MONTH, limit: 10 }],
  // signals and timelines
  ['high-risk signals today', { subject: 'signals', band: 'high', ...TODAY }],
  ['what needs attention this week', { subject: 'signals', ...THIS_WEEK }],
  ['medium-risk alerts on web-01', { subject: 'signals', band: 'medium', host: 'web-01', ...W7 }],
  ['what happened on web-01 between 2026-03-01 and 2026-03-05', { subject: 'timeline', host: 'web-01', since: d('2026-03-01'), until: d('2026-03-06') }],
  ['what happened on db-02 yesterday', { subject: 'timeline', host: 'db-02', ...YESTERDAY }],
  ['timeline of alice on 2026-03-10', { subject: 'timeline', account: 'alice', since: d('2026-03-10'), until: d('2026-03-11') }],
  ['everything from 198.51.100.77 last week', { subject: 'timeline', address: '198.51.100.77', ...LAST_WEEK }],
  // weekdays, dates by name, years (now is Wednesday 2026-03-11)
  ['logins on Monday', { subject: 'logins', since: d('2026-03-09'), until: d('2026-03-10') }],
  ['sudo use on Wednesday', { subject: 'sudo', ...TODAY }],
  ['failed logins last Wednesday', { subject: 'failures', since: d('2026-03-04'), until: d('2026-03-05') }],
  ['incidents on March 3', { subject: 'incidents', since: d('2026-03-03'), until: d('2026-03-04') }],
  ['what happened on web-01 on December 24th', { subject: 'timeline', host: 'web-01', since: d('2025-12-24'), until: d('2025-12-25') }],
  ['account changes on February 2, 2026', { subject: 'account-changes', since: d('2026-02-02'), until: d('2026-02-03') }],
  ['logins this year', { subject: 'logins', since: d('2026-01-01'), until: N }],
  ['incidents last year', { subject: 'incidents', since: d('2025-01-01'), until: d('2026-01-01') }],
];

const NOT_UNDERSTOOD: Array<[string, RegExp]> = [
  ['what is the weather', /does not name what it asks about/],
  ['make me a sandwich', /does not name what it asks about/],
  ['DROP TABLE signals', /reads like a command/],
  ['delete all signals from last week', /reads like a command/],
  ['', /empty/],
  ['logins on 2026-02-30', /does not name a time/],
  ['logins since 2027-01-01', /does not name a time/],
  ['logins between 2026-03-05 and 2026-03-01', /does not name a time/],
  ['logins from 999.1.1.1', /not a valid IP address/],
  [`logins ${'x'.repeat(600)}`, /longer than 500/],
  ['web-01 yesterday', /does not name what it asks about/],
  ['logins on February 30', /does not name a time/],
  ['logins on March 20, 2026', /does not name a time/],
];

describe('the question parser', () => {
  it(`understands a set of ${QUESTIONS.length} questions as the expected filters`, () => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(50);
    const wrong: string[] = [];
    for (const [q, want] of QUESTIONS) {
      const got = parseQuestion(q, NOW);
      if (!('filter' in got)) { wrong.push(`${q}: not understood (${got.problem})`); continue; }
      const { time_phrase: _t, ...f } = got.filter;
      const expected = { limit: 50, ...want };
      if (JSON.stringify(Object.entries(f).sort()) !== JSON.stringify(Object.entries(expected).sort())) wrong.push(`${q}: ${JSON.stringify(f)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('says in the filter which time it understood, and says so when no time was named', () => {
    const f = (q: string): QueryFilter => (parseQuestion(q, NOW) as { filter: QueryFilter }).filter;
    expect(f('logins last week').time_phrase).toBe('last week (2026-03-02 to 2026-03-08)');
    expect(f('sudo use').time_phrase).toMatch(/^the last 7 days .*no time was named, so the default/);
    expect(f('logins yesterday').time_phrase).toBe('yesterday (2026-03-10)');
  });

  it(`says plainly when it did not understand (${NOT_UNDERSTOOD.length} questions), with suggestions`, () => {
    for (const [q, why] of NOT_UNDERSTOOD) {
      const got = parseQuestion(q, NOW);
      expect('problem' in got ? got.problem : `understood as ${JSON.stringify(got)}`, q).toMatch(why);
      expect('suggestions' in got && got.suggestions.length).toBeGreaterThan(3);
    }
  });

  it('takes names only as whole, plausible names: quotes, semicolons and spaces never reach a filter', () => {
    for (const q of ["logins by alice'; DROP TABLE signals", 'logins on web-01` OR 1=1', 'sudo by "root"']) {
      const got = parseQuestion(q, NOW);
      const f = 'filter' in got ? got.filter : undefined;
      for (const v of [f?.account, f?.host, f?.address]) if (v !== undefined) expect(v).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._@$-]*$/);
    }
  });

  it('is deterministic: the same question and time give the same filter', () => {
    for (const [q] of QUESTIONS.slice(0, 10)) expect(parseQuestion(q, NOW)).toEqual(parseQuestion(q, NOW));
  });
});
