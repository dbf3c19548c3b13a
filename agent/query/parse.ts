// agent/query/parse.ts: the deterministic question parser. A question becomes a QueryFilter by plain rules
// (a time phrase, names after "on", "by", "from", and words that name a subject), or is not understood,
// with suggestions. Names taken from the question are checked against strict patterns: they only ever
// reach a store as values (see sql.ts), but a value that is not a plausible name is a misunderstanding.
import { isIP } from 'node:net';
import { DEFAULT_LIMIT, MAX_LIMIT, type QueryFilter, type Subject } from './filter.js';
import { defaultWindow, findTime } from './time.js';

export type Parsed = { filter: QueryFilter } | { problem: string; suggestions: string[] };

export const SUGGESTIONS = [
  'who logged in yesterday',
  'which accounts logged in from new addresses this month',
  'logins outside business hours last week',
  'failed logins from 203.0.113.9 in the last 24 hours',
  'who used sudo since Monday',
  'su use on web-01 today',
  'account changes last month',
  'incidents this week',
  'top addresses in March',
  'what happened on web-01 between 2026-03-01 and 2026-03-05',
];

export const MAX_QUESTION = 500;
export const HOST_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
export const ACCOUNT_RE = /^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}\$?$/;

/** Words after "on", "by", "for" that are never a host or an account. */
const NOT_A_NAME = new Set([
  'the', 'a', 'an', 'any', 'all', 'my', 'our', 'this', 'that', 'which', 'what', 'whom', 'who', 'new', 'host', 'hosts', 'server',
  'servers', 'machine', 'account', 'accounts', 'user', 'users', 'weekend', 'weekends', 'weekdays', 'night', 'nights', 'holidays',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'it', 'them', 'each', 'every', 'address', 'addresses',
  'ip', 'ips', 'sudo', 'su', 'ssh', 'more', 'than', 'failures', 'logins', 'incidents', 'signals', 'today', 'yesterday',
  'business', 'working', 'office', 'hours', 'change', 'changes', 'changed', 'created', 'creation', 'deleted', 'modified', 'locked',
  'activity', 'timeline', 'use', 'usage', 'login', 'membership', 'me', 'us', 'someone', 'anyone', 'somebody', 'anybody', 'did', 'was', 'were', 'now',
]);

// Subjects, first match wins: the more specific words come first ("failed logins" are failures, "logins
// from new addresses" are logins, "top addresses" is a ranking).
const SUBJECTS: Array<[Subject, RegExp]> = [
  ['timeline', /\b(what happened|what went on|timeline|everything|all activity|activity)\b/],
  ['incidents', /\bincidents?\b/],
  ['top-addresses', /\b(top|most active|busiest|noisiest|worst|most)( \d+)? (source )?(addresses|ips|ip addresses|sources|attackers)\b|^(which|what) (addresses|ips|ip addresses)\b/],
  ['sudo', /\bsudo\b/],
  ['su', /\b(su|runuser)\b|\bswitch(ed|es)? (to )?(user|account)s?\b/],
  ['account-changes', /\baccount changes?\b|\b(accounts?|users?|groups?) (were |was |been |got )?(created|deleted|removed|added|changed|modified|locked|unlocked)\b|\bnew (users|accounts|groups)\b|\b(created|deleted|removed|modified|changed|locked) (any )?(users?|accounts?|groups?)\b|\bpasswords? (changes?|changed|resets?)\b|\bgroup (changes?|membership)\b|\b(user|group)(add|del|mod)\b|\bchpasswd\b/],
  ['failures', /\bfail(s|ed|ures?|ing)?\b|\bbrute[- ]?forc(e|ing)\b|\b(password )?spray(ing)?\b|\bguess(ing|ed)?\b|\battack(s|ed|ing)?\b|\binvalid users?\b|\bunsuccessful\b/],
  ['logins', /\blog(ged|s)? ?(in|on)(to)?\b|\blogins?\b|\bsign(ed)? ?in\b|\bssh(ed)? (in|into)\b|\bconnected\b|\bgot in\b/],
  ['signals', /\bsignals?\b|\balerts?\b|\bneeds? (action|attention)\b|\bfindings?\b|\bsuspicious\b/],
];

const NEW_ONLY = /\b(new|unseen|unfamiliar|unknown|first[- ]seen|never[- ]seen)( source| ip)? (addresses|address|ips|ip|sources|locations|places)\b|\bfirst time from\b|\bfrom somewhere new\b/;
const OFF_HOURS = /\boff[- ]?hours\b|\b(outside|out of|after) (business |working |office )?hours\b|\bat night\b|\bovernight\b|\bon (the )?weekends?\b/;
const BAND = /\b(high|medium|low)[- ](risk|band|severity|priority)\b|\b(high|medium|low) (signals|incidents|alerts)\b|\b(critical|urgent)\b/;
const LIMIT = /\b(?:top|first|last|latest) (\d{1,5})\b|\b(\d{1,5}) (?:most|busiest|noisiest|top)\b/;

/** ASCII-only lower case: every index in the result is the same character in the original. */
const lower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function cut(orig: string, lc: string, start: number, end: number): [string, string] {
  return [`${orig.slice(0, start)} ${orig.slice(end)}`, `${lc.slice(0, start)} ${lc.slice(end)}`];
}

/** Takes the first capture of `re` (matched on the lower-cased text) from the original, and removes the match. */
function take(orig: string, lc: string, re: RegExp, ok: (v: string) => boolean): { value?: string; orig: string; lc: string } {
  const g = new RegExp(re.source, 'g');
  for (let m = g.exec(lc); m; m = g.exec(lc)) {
    const at = m.index + m[0].lastIndexOf(m[1]!);
    const value = orig.slice(at, at + m[1]!.length);
    if (!ok(value)) continue;
    const [o, l] = cut(orig, lc, m.index, m.index + m[0].length);
    return { value, orig: o, lc: l };
  }
  return { orig, lc };
}

const isName = (re: RegExp) => (v: string): boolean => re.test(v) && !NOT_A_NAME.has(v.toLowerCase()) && !/^\d+$/.test(v);

export function parseQuestion(question: string, nowMs: number): Parsed {
  const now = Math.floor(nowMs / 1000) * 1000; // windows to the second, as ClickHouse keeps times
  const fail = (problem: string): Parsed => ({ problem, suggestions: SUGGESTIONS });
  if (question.length > MAX_QUESTION) return fail(`the question is longer than ${MAX_QUESTION} characters`);
  // Control characters have no place in a question (and could paint a terminal): treat them as spaces.
  let orig = question.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/[?!.,;:]+(\s|$)/g, ' $1').replace(/\s+/g, ' ').trim();
  let lc = lower(orig);
  if (!lc) return fail('the question is empty');

  // A question asks; it never orders a change. SQL verbs are not questions (and never reach a store).
  if (/^(drop|delete|insert|update|alter|truncate|create|grant|revoke|kill|set|attach|detach|rename|optimize)\b/.test(lc)) {
    return fail('it reads like a command, and Sentra only answers questions; nothing is ever changed');
  }
  const t = findTime(lc, now);
  if (t && 'invalid' in t) return fail(`"${t.invalid}" does not name a time Sentra can use (a real date, not in the future)`);
  const window = t ? t.window : defaultWindow(now);
  if (t) [orig, lc] = cut(orig, lc, t.start, t.end);

  const subject = SUBJECTS.find(([, re]) => re.test(lc))?.[0];
  const newOnly = NEW_ONLY.test(lc);
  const offHours = OFF_HOURS.test(lc);
  const bandHit = BAND.exec(lc);
  const limitHit = LIMIT.exec(lc);

  // Addresses: any IPv4 or IPv6 literal.
  let address: string | undefined;
  const ipHit = /(?:^|[\s(])((?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]*:[0-9a-f:.]*:[0-9a-f.]*)(?=$|[\s)])/i.exec(orig);
  if (ipHit) {
    if (isIP(ipHit[1]!) === 0) return fail(`"${ipHit[1]}" is not a valid IP address`);
    address = ipHit[1]!;
    const at = ipHit.index + ipHit[0].lastIndexOf(ipHit[1]!);
    [orig, lc] = cut(orig, lc, at, at + address.length);
  }
  // A host: "on web-01", "host web-01", "server web-01".
  let r = take(orig, lc, /\b(?:on|into|host|server|machine|at)(?: host| server| machine)? ([a-z0-9][a-z0-9._-]*)/, isName(HOST_RE));
  const host = r.value;
  ({ orig, lc } = r);
  // An account: "by alice", "user alice", "for alice", "did alice log in", "alice's logins".
  r = take(orig, lc, /\b(?:by|user|account|for|of)(?: user| account)? ([a-z0-9_][a-z0-9._@-]*\$?)/, isName(ACCOUNT_RE));
  if (!r.value) r = take(orig, lc, /\bdid ([a-z0-9_][a-z0-9._@-]*\$?) (?:log|sign|ssh|use|run|sudo|su|fail|get)/, isName(ACCOUNT_RE));
  if (!r.value) r = take(orig, lc, /(?:^|\s)([a-z0-9_][a-z0-9._@-]*)'s\b/, isName(ACCOUNT_RE));
  const account = r.value;

  // "what happened on HOST" is a timeline; a bare host with a subject-less question is not a question.
  const chosen: Subject | undefined = subject ?? (newOnly || offHours ? 'logins' : undefined);
  if (!chosen) return fail('it does not name what it asks about (logins, failures, sudo, su, account changes, incidents, signals, top addresses or a timeline)');

  const band = bandHit ? ((bandHit[1] ?? bandHit[3] ?? 'high') as 'high' | 'medium' | 'low') : undefined;
  const limit = Math.min(MAX_LIMIT, Math.max(1, limitHit ? Number(limitHit[1] ?? limitHit[2]) : chosen === 'top-addresses' ? 10 : DEFAULT_LIMIT));
  const filter: QueryFilter = {
    subject: chosen,
    since: new Date(window.since).toISOString(),
    until: new Date(window.until).toISOString(),
    ...(host ? { host } : {}),
    ...(account ? { account } : {}),
    ...(address ? { address } : {}),
    ...(newOnly && chosen === 'logins' ? { newOnly: true } : {}),
    ...(offHours && (chosen === 'logins' || chosen === 'sudo' || chosen === 'su' || chosen === 'account-changes' || chosen === 'signals') ? { offHours: true } : {}),
    ...(band ? { band } : {}),
    limit,
    time_phrase: window.text,
  };
  return { filter };
}
