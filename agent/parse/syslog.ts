// agent/parse/syslog.ts: BSD (RFC 3164 style) timestamps, parsed by hand for speed (a header regex costs as
// much as reading the line): `Nov  5 03:39:17` (padded day, also journalctl's short format), `Feb 7 16:01:07`
// (unpadded day) and OpenWrt logread's `Mon Nov 23 21:50:37 2020`. What follows is split by header.ts.
import { monthIndex, type YearResolver, type ZoneClock } from './clock.js';
import { splitHostAndTag, splitTag, type Envelope, type EnvelopeError, type NameCache } from './header.js';

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const num2 = (s: string, i: number): number => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);

/** Caches the last timestamp prefix: consecutive lines usually share their second. */
export class TimestampCache {
  key = '';
  value = 0;
}

const WEEKDAYS = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

export function parseClassic(
  text: string, years: YearResolver, zone: ZoneClock, cache: TimestampCache, names: NameCache,
): Envelope | EnvelopeError {
  // The common case first, checked at fixed offsets: `Nov  5 03:39:17 ` or `Nov 15 03:39:17 `.
  if (text.charCodeAt(3) === 32 && text.charCodeAt(6) === 32 && text.charCodeAt(9) === 58 && text.charCodeAt(12) === 58
    && text.charCodeAt(15) === 32) {
    const key = text.slice(0, 15);
    let ts: number;
    if (key === cache.key) ts = cache.value;
    else {
      const t = timestamp(text, 0, 7, -1, years, zone);
      if (t === undefined) return 'bad-timestamp';
      ts = t;
      cache.key = key;
      cache.value = ts;
    }
    // The host of the line before, then the tag: most lines, so straight to the tag (see splitHostAndTag).
    const cached = names.host;
    const after = 16 + cached.length;
    if (text.charCodeAt(after) === 32 && text.charCodeAt(after + 1) !== 108 && text.charCodeAt(after + 1) !== 32
      && cached.length > 0 && text.startsWith(cached, 16)) return splitTag(text, after + 1, ts, cached, names);
    // Two spaces after the time: sysklogd's empty host field (`Feb 21 21:56:40  last message repeated 3 times`).
    return splitHostAndTag(text, 16, ts, names, text.charCodeAt(16) === 32);
  }
  return parseOtherClassic(text, years, zone, cache, names);
}

/** `Feb 7 16:01:07` (unpadded day) and OpenWrt's `Mon Nov 23 21:50:37 2020`. */
function parseOtherClassic(text: string, years: YearResolver, zone: ZoneClock, cache: TimestampCache, names: NameCache): Envelope | EnvelopeError {
  if (text.length < 15 || text.charCodeAt(3) !== 32) return 'bad-timestamp';
  const weekday = text.charCodeAt(7) === 32 && WEEKDAYS.has(text.slice(0, 3));
  const m0 = weekday ? 4 : 0;
  let t: number; // where HH:MM:SS starts
  const d1 = text.charCodeAt(m0 + 4);
  const d2 = text.charCodeAt(m0 + 5);
  if ((d1 === 32 || isDigit(d1)) && isDigit(d2) && text.charCodeAt(m0 + 6) === 32) t = m0 + 7; // `Nov  5`, `Nov 15`
  else if (isDigit(d1) && d2 === 32) t = m0 + 6; // `Feb 7`
  else return 'bad-timestamp';
  if (text.charCodeAt(t + 2) !== 58 || text.charCodeAt(t + 5) !== 58) return 'bad-timestamp';
  let end = t + 8;
  let year = -1;
  if (weekday) {
    if (text.charCodeAt(end) !== 32 || !isDigit(text.charCodeAt(end + 1)) || !isDigit(text.charCodeAt(end + 4))) return 'bad-timestamp';
    year = Number(text.slice(end + 1, end + 5));
    if (!(year > 1970)) return 'bad-timestamp';
    end += 5;
  }
  if (end >= text.length || text.charCodeAt(end) !== 32) return 'bad-timestamp';
  const key = text.slice(0, end);
  let ts: number;
  if (key === cache.key) ts = cache.value;
  else {
    const v = timestamp(text, m0, t, year, years, zone);
    if (v === undefined) return 'bad-timestamp';
    ts = v;
    cache.key = key;
    cache.value = ts;
  }
  return splitHostAndTag(text, end + 1, ts, names, text.charCodeAt(end + 1) === 32 || weekday);
}

/** The month at `m0`, the day after it, the time at `t`; `year` -1 asks the year resolver. */
function timestamp(text: string, m0: number, t: number, year: number, years: YearResolver, zone: ZoneClock): number | undefined {
  const month = monthIndex(text.slice(m0, m0 + 3));
  const d1 = text.charCodeAt(m0 + 4);
  const d2 = text.charCodeAt(m0 + 5);
  const day = d1 === 32 ? d2 - 48 : d2 === 32 ? d1 - 48 : num2(text, m0 + 4);
  if (month === undefined || !(d1 === 32 || isDigit(d1)) || !isDigit(d2) && d2 !== 32 || !isDigit(text.charCodeAt(t)) || !isDigit(text.charCodeAt(t + 1))
    || !isDigit(text.charCodeAt(t + 3)) || !isDigit(text.charCodeAt(t + 4)) || !isDigit(text.charCodeAt(t + 6))
    || !isDigit(text.charCodeAt(t + 7))) return undefined;
  const h = num2(text, t), mi = num2(text, t + 3), s = num2(text, t + 6);
  if (day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  return zone.toEpoch(year === -1 ? years.yearFor(month) : year, month, day, h, mi, s);
}
