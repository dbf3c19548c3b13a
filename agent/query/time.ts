// agent/query/time.ts: time phrases ("last week", "since Monday", "in March") as a window [since, until) in UTC,
// relative to a `now` the caller passes (agent/clock.ts in the CLI; pinned in tests). Weeks are ISO weeks
// (Monday to Sunday); months and days are UTC calendar months and days, as the store files them.

export interface TimeWindow {
  since: number;
  until: number;
  /** The phrase as found in the question ("last week"), or "" for the default window. */
  phrase: string;
  /** The window in words: "last week (2026-03-02 to 2026-03-08)". */
  text: string;
}

const DAY = 86_400_000;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: DAY, week: 7 * DAY };
const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, fourteen: 14, thirty: 30 };

const startOfDay = (t: number): number => Math.floor(t / DAY) * DAY;
/** Monday 00:00 UTC of the ISO week holding t. */
const startOfWeek = (t: number): number => startOfDay(t) - ((new Date(t).getUTCDay() + 6) % 7) * DAY;
const startOfMonth = (y: number, m: number): number => Date.UTC(y, m, 1);
const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
/** The last day inside [since, until), for "A to B" wording. */
const span = (since: number, until: number): string => {
  const lastDay = day(until - 1);
  return since % DAY === 0 && until % DAY === 0
    ? (day(since) === lastDay ? day(since) : `${day(since)} to ${lastDay}`)
    : `${new Date(since).toISOString()} to ${new Date(until).toISOString()}`;
};

/** A calendar date "YYYY-MM-DD" that really exists, as epoch ms; else undefined. */
export function isoDay(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return day(t) === s ? t : undefined;
}

interface Matcher {
  re: RegExp;
  window(m: RegExpExecArray, now: number): { since: number; until: number } | undefined;
}

const DATE = '(\\d{4}-\\d{2}-\\d{2})';
const NUM = `\\d+|${Object.keys(NUMBER_WORDS).join('|')}`;
const qty = (w: string): number | undefined => (/^\d+$/.test(w) ? Number(w) : NUMBER_WORDS[w]);

// Order matters: longer phrases first ("between A and B" before "on A", "last 7 days" before "last week").
const MATCHERS: Matcher[] = [
  { re: new RegExp(`\\b(?:between|from) ${DATE} (?:and|to|until) ${DATE}\\b`), window: (m) => {
    const a = isoDay(m[1]!), b = isoDay(m[2]!);
    return a === undefined || b === undefined || b < a ? undefined : { since: a, until: b + DAY }; // both days included
  } },
  { re: new RegExp(`\\bsince ${DATE}\\b`), window: (m, now) => {
    const a = isoDay(m[1]!);
    return a === undefined || a > now ? undefined : { since: a, until: now };
  } },
  { re: new RegExp(`\\b(?:on )?${DATE}\\b`), window: (m) => {
    const a = isoDay(m[1]!);
    return a === undefined ? undefined : { since: a, until: a + DAY };
  } },
  { re: new RegExp(`\\b(?:in the |over the |during the )?(?:(?:last|past) (${NUM}) (minute|hour|day|week)s?|past (minute|hour|day|week)|last (minute|hour|day))\\b`),
    window: (m, now) => {
      // "last week" alone is the previous calendar week (below); "past week" and "last day" are one unit back from now.
      const n = m[1] === undefined ? 1 : qty(m[1]);
      const unit = m[2] ?? m[3] ?? m[4]!;
      if (n === undefined || n < 1 || n * UNITS[unit]! > 3660 * DAY) return undefined;
      return { since: now - n * UNITS[unit]!, until: now };
    } },
  { re: /\btoday\b/, window: (_m, now) => ({ since: startOfDay(now), until: now }) },
  { re: /\byesterday\b/, window: (_m, now) => ({ since: startOfDay(now) - DAY, until: startOfDay(now) }) },
  { re: /\blast week\b/, window: (_m, now) => ({ since: startOfWeek(now) - 7 * DAY, until: startOfWeek(now) }) },
  { re: /\bthis week\b/, window: (_m, now) => ({ since: startOfWeek(now), until: now }) },
  { re: /\bthis month\b/, window: (_m, now) => {
    const d = new Date(now);
    return { since: startOfMonth(d.getUTCFullYear(), d.getUTCMonth()), until: now };
  } },
  { re: /\blast month\b/, window: (_m, now) => {
    const d = new Date(now);
    return { since: startOfMonth(d.getUTCFullYear(), d.getUTCMonth() - 1), until: startOfMonth(d.getUTCFullYear(), d.getUTCMonth()) };
  } },
  { re: /\bsince (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/, window: (m, now) => {
    // The most recent such day, today included ("since Monday" on a Monday is today).
    const back = (new Date(now).getUTCDay() - WEEKDAYS.indexOf(m[1]!) + 7) % 7;
    return { since: startOfDay(now) - back * DAY, until: now };
  } },
  { re: /\b(?:on |last )(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/, window: (m, now) => {
    // "on Monday": the most recent Monday, today included; "last Monday": the one before today.
    const back = (new Date(now).getUTCDay() - WEEKDAYS.indexOf(m[1]!) + 7) % 7 || (m[0].startsWith('last') ? 7 : 0);
    const since = startOfDay(now) - back * DAY;
    return { since, until: Math.min(since + DAY, now) };
  } },
  { re: /\b(?:on )?(january|february|march|april|may|june|july|august|september|october|november|december) (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?\b/,
    window: (m, now) => {
      const d = new Date(now);
      const month = MONTHS.indexOf(m[1]!);
      const dom = Number(m[2]);
      // Without a year: the most recent such date that has begun.
      let year = m[3] ? Number(m[3]) : d.getUTCFullYear();
      if (!m[3] && Date.UTC(year, month, dom) > now) year -= 1;
      const since = Date.UTC(year, month, dom);
      if (new Date(since).getUTCDate() !== dom || since > now) return undefined;
      return { since, until: Math.min(since + DAY, now) };
    } },
  { re: /\b(this|last) year\b/, window: (m, now) => {
    const y = new Date(now).getUTCFullYear() - (m[1] === 'last' ? 1 : 0);
    return { since: Date.UTC(y, 0, 1), until: Math.min(Date.UTC(y + 1, 0, 1), now) };
  } },
  { re: /\b(?:in|during) (january|february|march|april|may|june|july|august|september|october|november|december)(?: (\d{4}))?\b/,
    window: (m, now) => {
      const d = new Date(now);
      const month = MONTHS.indexOf(m[1]!);
      // The most recent such month that has begun: "in March" asked in February means last year's March.
      const year = m[2] ? Number(m[2]) : (month <= d.getUTCMonth() ? d.getUTCFullYear() : d.getUTCFullYear() - 1);
      const since = startOfMonth(year, month);
      return since > now ? undefined : { since, until: Math.min(startOfMonth(year, month + 1), now) };
    } },
];

/** The default when a question names no time. */
export function defaultWindow(now: number): TimeWindow {
  const since = now - 7 * DAY;
  return { since, until: now, phrase: '', text: `the last 7 days (${span(since, now)}; no time was named, so the default)` };
}

/**
 * Finds the time phrase in a question lower-cased in ASCII only (so indexes match the original). Returns the
 * window and where the phrase is, or `invalid` when a phrase is there but names no real time (2026-02-30,
 * a "since" in the future).
 */
export function findTime(q: string, now: number): { window: TimeWindow; start: number; end: number } | { invalid: string } | undefined {
  for (const m of MATCHERS) {
    const hit = m.re.exec(q);
    if (!hit) continue;
    const w = m.window(hit, now);
    const phrase = hit[0].trim();
    if (!w) return { invalid: phrase };
    return { window: { ...w, phrase, text: `${phrase} (${span(w.since, w.until)})` }, start: hit.index, end: hit.index + hit[0].length };
  }
  return undefined;
}
