// agent/parse/syslog.ts: the text envelopes of auth.log lines, parsed by hand for speed (a header regex
// costs as much as reading the line): classic `Nov  5 03:39:17 host prog[pid]: msg` (RFC 3164 style, also
// journalctl's short format) and `2026-11-05T03:39:17.123456+00:00 host prog[pid]: msg` (RFC 3339, Ubuntu 24.04).
import { monthIndex, type YearResolver, type ZoneClock } from './clock.js';

export interface Envelope {
  ts: number;
  host: string;
  program: string;
  pid: number | undefined;
  message: string;
}

/** Why a line could not be split into an envelope; counted per reason, never thrown. */
export type EnvelopeError = 'bad-timestamp' | 'no-host' | 'no-program';

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const num2 = (s: string, i: number): number => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);

/** Caches the last timestamp prefix: consecutive lines usually share their second. */
export class TimestampCache {
  key = '';
  value = 0;
}

/**
 * The host and program of the previous line. Consecutive lines mostly repeat them, and reusing the same
 * string objects skips a slice and a hash per line (Maps keyed on them keep the cached hash).
 */
export class NameCache {
  host = '\u0000';
  program = '\u0000';
}

export function parseClassic(
  text: string, years: YearResolver, zone: ZoneClock, cache: TimestampCache, names: NameCache,
): Envelope | EnvelopeError {
  if (text.length < 17 || text.charCodeAt(3) !== 32 || text.charCodeAt(6) !== 32 || text.charCodeAt(15) !== 32
    || text.charCodeAt(9) !== 58 || text.charCodeAt(12) !== 58) return 'bad-timestamp';
  const key = text.slice(0, 15);
  let ts: number;
  if (key === cache.key) {
    ts = cache.value;
  } else {
    const month = monthIndex(text.slice(0, 3));
    const d1 = text.charCodeAt(4);
    const day = d1 === 32 ? text.charCodeAt(5) - 48 : num2(text, 4);
    if (month === undefined || (d1 !== 32 && !isDigit(d1)) || !isDigit(text.charCodeAt(5))
      || !isDigit(text.charCodeAt(7)) || !isDigit(text.charCodeAt(14))) return 'bad-timestamp';
    const h = num2(text, 7), mi = num2(text, 10), s = num2(text, 13);
    if (day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return 'bad-timestamp';
    ts = zone.toEpoch(years.yearFor(month), month, day, h, mi, s);
    cache.key = key;
    cache.value = ts;
  }
  return splitHostAndTag(text, 16, ts, names);
}

export function looksLikeRfc3339(text: string): boolean {
  return text.length > 20 && text.charCodeAt(4) === 45 && text.charCodeAt(10) === 84 && isDigit(text.charCodeAt(0));
}

export function parseRfc3339(text: string, zone: ZoneClock, cache: TimestampCache, names: NameCache): Envelope | EnvelopeError {
  if (text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return 'bad-timestamp';
  let i = 19;
  let fracMs = 0;
  if (text.charCodeAt(i) === 46) {
    let scale = 100;
    i++;
    while (isDigit(text.charCodeAt(i))) {
      fracMs += (text.charCodeAt(i) - 48) * scale;
      scale /= 10;
      i++;
    }
  }
  const zoneStart = i;
  const c = text.charCodeAt(i);
  if (c === 90) i++; // Z
  else if (c === 43 || c === 45) i += 6; // +hh:mm
  if (text.charCodeAt(i) !== 32) return 'bad-timestamp';
  const key = text.slice(0, 19) + text.slice(zoneStart, i);
  let ts: number;
  if (key === cache.key) {
    ts = cache.value;
  } else {
    const y = Number(text.slice(0, 4)), mo = num2(text, 5) - 1, d = num2(text, 8);
    const h = num2(text, 11), mi = num2(text, 14), s = num2(text, 17);
    if (!(y > 1970) || mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return 'bad-timestamp';
    if (c === 90) ts = Date.UTC(y, mo, d, h, mi, s);
    else if (c === 43 || c === 45) {
      const off = (num2(text, zoneStart + 1) * 60 + num2(text, zoneStart + 4)) * 60_000;
      if (Number.isNaN(off)) return 'bad-timestamp';
      ts = Date.UTC(y, mo, d, h, mi, s) - (c === 43 ? off : -off);
    } else ts = zone.toEpoch(y, mo, d, h, mi, s);
    if (Number.isNaN(ts)) return 'bad-timestamp';
    cache.key = key;
    cache.value = ts;
  }
  return splitHostAndTag(text, i + 1, Math.floor(ts + fracMs), names);
}

/** `host prog[pid]: message`, `host prog: message`, and the legacy `host sshd(pam_unix)[pid]: message`. */
function splitHostAndTag(text: string, from: number, ts: number, names: NameCache): Envelope | EnvelopeError {
  let host: string;
  let hostEnd: number;
  if (text.startsWith(names.host, from) && text.charCodeAt(from + names.host.length) === 32) {
    host = names.host;
    hostEnd = from + host.length;
  } else {
    hostEnd = text.indexOf(' ', from);
    if (hostEnd <= from) return 'no-host';
    host = text.slice(from, hostEnd);
  }
  const tagStart = hostEnd + 1;
  const colon = text.indexOf(': ', tagStart);
  const tagEnd = colon === -1 && text.endsWith(':') ? text.length - 1 : colon;
  if (tagEnd <= tagStart) return 'no-program';
  const space = text.indexOf(' ', tagStart);
  if (space !== -1 && space < tagEnd) return 'no-program';
  let program: string;
  let pid: number | undefined;
  let nameEnd = tagEnd;
  if (text.charCodeAt(tagEnd - 1) === 93) {
    const open = text.lastIndexOf('[', tagEnd);
    if (open > tagStart) {
      let n = 0;
      let digits = 0;
      for (let i = open + 1; i < tagEnd - 1; i++) {
        const c = text.charCodeAt(i);
        if (c < 48 || c > 57 || digits > 9) { digits = -1; break; }
        n = n * 10 + (c - 48);
        digits++;
      }
      if (digits > 0) pid = n;
      nameEnd = open;
    }
  }
  if (nameEnd - tagStart === names.program.length && text.startsWith(names.program, tagStart)) {
    program = names.program;
  } else {
    program = text.slice(tagStart, nameEnd);
    // RHEL-era PAM lines name the module in the tag: `sshd(pam_unix)` is sshd. systemd writes the user
    // manager of a session as `(systemd)` and its PAM helper as `(sd-pam)`: the name is inside.
    if (program.charCodeAt(0) === 40 && program.endsWith(')')) program = program.slice(1, -1);
    const paren = program.indexOf('(');
    if (paren > 0) program = program.slice(0, paren);
  }
  let mStart = tagEnd + 2;
  while (text.charCodeAt(mStart) === 32) mStart++;
  let mEnd = text.length;
  while (mEnd > mStart && (text.charCodeAt(mEnd - 1) === 32 || text.charCodeAt(mEnd - 1) === 9)) mEnd--;
  return { ts, host, program, pid, message: text.slice(mStart, mEnd) };
}
