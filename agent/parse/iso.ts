// agent/parse/iso.ts: lines that start with a full date, parsed by hand:
//   `2026-11-05T03:39:17.123456+00:00 host prog[pid]: msg`   RFC 3339 (rsyslog on Ubuntu 24.04)
//   `2026-11-05 03:39:17.123456-0400  host prog[pid]: msg`   syslog-ng templates, macOS `log show --style syslog`
//   `<38>1 2026-03-04T05:06:07.123-04:00 host app procid msgid [sd] msg`   RFC 5424 (and `-` for any field)
// and a `<PRI>` in front of a BSD line (raw network syslog written to a file).
import type { ZoneClock } from './clock.js';
import { normaliseProgram, splitHostAndTag, type Envelope, type EnvelopeError, type NameCache } from './header.js';
import { isDigit, num2, type TimestampCache } from './syslog.js';

/** `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DD HH:MM:SS` at `at`. */
export function looksLikeIsoDate(text: string, at = 0): boolean {
  const sep = text.charCodeAt(at + 10);
  return text.length > at + 19 && text.charCodeAt(at + 4) === 45 && (sep === 84 || sep === 32) && isDigit(text.charCodeAt(at));
}

/** Parses the date and time at `at`; returns the epoch ms and where the timestamp ends, or an error. */
export function isoTimestamp(text: string, at: number, zone: ZoneClock, cache: TimestampCache): { ts: number; end: number } | EnvelopeError {
  if (text.charCodeAt(at + 7) !== 45 || text.charCodeAt(at + 13) !== 58 || text.charCodeAt(at + 16) !== 58) return 'bad-timestamp';
  let i = at + 19;
  let fracMs = 0;
  if (text.charCodeAt(i) === 46 || text.charCodeAt(i) === 44) {
    let scale = 100;
    i++;
    while (isDigit(text.charCodeAt(i))) {
      fracMs += (text.charCodeAt(i) - 48) * scale;
      scale /= 10;
      i++;
    }
  }
  const c = text.charCodeAt(i);
  let offMin = NaN;
  if (c === 90) i++; // Z
  else if (c === 43 || c === 45) {
    // +hh:mm or +hhmm
    const colon = text.charCodeAt(i + 3) === 58;
    const hh = num2(text, i + 1), mm = num2(text, colon ? i + 4 : i + 3);
    if (!(hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59)) return 'bad-timestamp';
    offMin = (c === 43 ? 1 : -1) * (hh * 60 + mm);
    i += colon ? 6 : 5;
  }
  if (text.charCodeAt(i) !== 32) return 'bad-timestamp';
  const key = text.slice(at, i);
  let ts: number;
  if (key.length === cache.key.length && key === cache.key) {
    ts = cache.value;
  } else {
    const y = Number(text.slice(at, at + 4)), mo = num2(text, at + 5) - 1, d = num2(text, at + 8);
    const h = num2(text, at + 11), mi = num2(text, at + 14), s = num2(text, at + 17);
    if (!(y > 1970) || !(mo >= 0 && mo <= 11) || !(d >= 1 && d <= 31) || !(h >= 0 && h <= 23) || !(mi >= 0 && mi <= 59) || !(s >= 0 && s <= 60)) return 'bad-timestamp';
    if (c === 90) ts = Date.UTC(y, mo, d, h, mi, s);
    else if (!Number.isNaN(offMin)) ts = Date.UTC(y, mo, d, h, mi, s) - offMin * 60_000;
    else ts = zone.toEpoch(y, mo, d, h, mi, s);
    if (Number.isNaN(ts)) return 'bad-timestamp';
    cache.key = key;
    cache.value = ts;
  }
  return { ts: Math.floor(ts + fracMs), end: i };
}

export function parseIso(text: string, zone: ZoneClock, cache: TimestampCache, names: NameCache): Envelope | EnvelopeError {
  const t = isoTimestamp(text, 0, zone, cache);
  if (typeof t === 'string') return t;
  return splitHostAndTag(text, t.end + 1, t.ts, names);
}

/** Where a `<PRI>` prefix ends (after `>`), or -1. */
export function priEnd(text: string): number {
  let i = 1;
  while (i <= 4 && isDigit(text.charCodeAt(i))) i++;
  return i > 1 && text.charCodeAt(i) === 62 ? i + 1 : -1;
}

/** RFC 5424 after `<PRI>` (at `from`, the version): `1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]`. */
export function parseRfc5424(text: string, from: number, zone: ZoneClock, cache: TimestampCache, names: NameCache): Envelope | EnvelopeError {
  let i = from;
  while (isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 32) return 'bad-header';
  i++;
  if (text.charCodeAt(i) === 45 && text.charCodeAt(i + 1) === 32) return 'no-timestamp';
  const t = isoTimestamp(text, i, zone, cache);
  if (typeof t === 'string') return t;
  const ts = t.ts;
  i = t.end + 1;
  const fields: string[] = [];
  for (let f = 0; f < 4; f++) {
    const sp = text.indexOf(' ', i);
    if (sp === -1 || sp === i) return 'bad-header';
    fields.push(text.slice(i, sp));
    i = sp + 1;
  }
  const [hostField, app, procid] = fields as [string, string, string, string];
  // Structured data: `-` or one or more `[id k="v" …]`, where `\]`, `\"` and `\\` are escaped in values.
  if (text.charCodeAt(i) === 45) i++;
  else {
    while (text.charCodeAt(i) === 91) {
      i++;
      let quoted = false;
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (quoted && c === 92) { i++; continue; }
        if (c === 34) quoted = !quoted;
        else if (c === 93 && !quoted) break;
      }
      if (i >= text.length) return 'bad-header';
      i++;
    }
  }
  if (i < text.length && text.charCodeAt(i) !== 32) return 'bad-header';
  let m = i + 1;
  if (text.charCodeAt(m) === 0xfeff) m++;
  while (text.charCodeAt(m) === 32) m++;
  let mEnd = text.length;
  while (mEnd > m && (text.charCodeAt(mEnd - 1) === 32 || text.charCodeAt(mEnd - 1) === 9)) mEnd--;
  const host = hostField === '-' ? '' : hostField === names.host ? names.host : hostField;
  const program = app === '-' ? 'unknown' : app === names.program ? names.program : normaliseProgram(app);
  let pid: number | undefined;
  if (procid !== '-' && procid.length <= 10) {
    const n = Number(procid);
    if (Number.isInteger(n) && n >= 0) pid = n;
  }
  return { ts, host, program, pid, message: m < mEnd ? text.slice(m, mEnd) : '' };
}
