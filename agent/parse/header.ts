// agent/parse/header.ts: what follows the timestamp of a text log line, parsed by hand for speed:
//   `host prog[pid]: msg`                      rsyslog, syslog-ng, journalctl short
//   `prog[pid]: msg`                           no host name (busybox -S, some containers, OpenWrt logread)
//   `host auth.info prog[pid]: msg`            busybox syslogd's facility.level after the host
//   `host  last message repeated N times`      sysklogd (the host field may be empty)
//   `... prog[pid]: [ID 800047 auth.info] msg` Solaris' message id and facility before the message
//
// Host-less lines are told apart deterministically: the first word is the tag when it ends with ':' and
// has the shape of a tag (a name without ':' or spaces, optionally `[pid]`). A host name never ends with
// ':' (an IPv6 address as host name holds other colons, so it stays a host).

export interface Envelope {
  ts: number;
  /** '' when the line names no host (the parser then uses its default host). */
  host: string;
  program: string;
  pid: number | undefined;
  message: string;
  /** Set for `last message repeated N times`: the previous line happened N more times. */
  repeatLast?: number;
  /** An audit record's event stamp: records of one event after the first are folded into it. */
  event?: string;
}

/** Why a line could not be split into an envelope; counted per reason, never thrown. */
export type EnvelopeError = 'bad-timestamp' | 'no-host' | 'no-program' | 'no-timestamp' | 'bad-header';

/**
 * The host and program of the previous line. Consecutive lines mostly repeat them, and reusing the same
 * string objects skips a slice and a hash per line (Maps keyed on them keep the cached hash).
 */
export class NameCache {
  host = '\u0000';
  program = '\u0000';
}

const LAST_REPEATED = 'last message repeated ';

/** `auth.info`, `authpriv.notice`, `local7.debug`…: busybox writes it after the host. */
const FACILITIES = new Set(['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv',
  'ftp', 'ntp', 'security', 'console', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7']);
const LEVELS = new Set(['emerg', 'alert', 'crit', 'err', 'error', 'warn', 'warning', 'notice', 'info', 'debug', 'panic']);

export function isFacilityLevel(text: string, start: number, end: number): boolean {
  const dot = text.indexOf('.', start);
  if (dot === -1 || dot >= end) return false;
  return FACILITIES.has(text.slice(start, dot)) && LEVELS.has(text.slice(dot + 1, end));
}

/** Whether text[start, end) is a tag followed by ':' (`sshd:`, `sshd[12]:`, `(systemd)[3]:`). */
function isTagToken(text: string, start: number, end: number): boolean {
  if (end - start < 2 || text.charCodeAt(end - 1) !== 58) return false;
  for (let i = start; i < end - 1; i++) if (text.charCodeAt(i) === 58) return false;
  return true;
}

/** `last message repeated N times` (or `time`) from `at`; the count, or -1. */
function lastRepeated(text: string, at: number): number {
  if (!text.startsWith(LAST_REPEATED, at)) return -1;
  let i = at + LAST_REPEATED.length;
  let n = 0;
  const s = i;
  for (; i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57; i++) n = n * 10 + text.charCodeAt(i) - 48;
  if (i === s || i - s > 9) return -1;
  const rest = text.slice(i).trimEnd();
  return rest === ' times' || rest === ' time' ? n : -1;
}

/**
 * Splits `[host ]tag: message` from `from`. `emptyHost` says the field before was followed by two spaces
 * (an empty host field): the line then names no host.
 */
export function splitHostAndTag(text: string, from: number, ts: number, names: NameCache, emptyHost = false): Envelope | EnvelopeError {
  let p = from;
  while (text.charCodeAt(p) === 32) p++;
  // Fast path: the host of the line before, followed by a space (a host never ends with ':', so this is
  // the same decision the slow path below would make).
  const cached = names.host;
  if (!emptyHost && text.charCodeAt(p + cached.length) === 32 && text.startsWith(cached, p) && cached.length > 0) {
    p += cached.length + 1;
    while (text.charCodeAt(p) === 32) p++;
    if (text.charCodeAt(p) === 108) {
      const rep = lastRepeated(text, p);
      if (rep >= 0) return { ts, host: cached, program: '', pid: undefined, message: '', repeatLast: rep };
    }
    return splitTag(text, p, ts, cached, names);
  }
  let host = '';
  const first = text.indexOf(' ', p);
  const firstEnd = first === -1 ? text.length : first;
  if (firstEnd === p) return 'no-host';
  // `last message repeated`: checked only when the word starts with 'l'.
  if (text.charCodeAt(p) === 108) {
    const rep = lastRepeated(text, p);
    if (rep >= 0) return { ts, host: '', program: '', pid: undefined, message: '', repeatLast: rep };
  }
  if (!emptyHost && !isTagToken(text, p, firstEnd)) {
    if (first === -1) return 'no-program';
    if (text.startsWith(names.host, p) && p + names.host.length === firstEnd) host = names.host;
    else host = text.slice(p, firstEnd);
    p = firstEnd + 1;
    while (text.charCodeAt(p) === 32) p++;
    if (text.charCodeAt(p) === 108) {
      const rep = lastRepeated(text, p);
      if (rep >= 0) return { ts, host, program: '', pid: undefined, message: '', repeatLast: rep };
    }
  }
  return splitTag(text, p, ts, host, names);
}

/** `prog[pid]: message`, `prog: message`, and the legacy `sshd(pam_unix)[pid]: message`, from `tagStart`. */
export function splitTag(text: string, from: number, ts: number, host: string, names: NameCache): Envelope | EnvelopeError {
  let tagStart = from;
  const colon = text.indexOf(': ', tagStart);
  const tagEnd = colon === -1 && text.endsWith(':') ? text.length - 1 : colon;
  if (tagEnd <= tagStart) return 'no-program';
  let space = text.indexOf(' ', tagStart);
  if (space !== -1 && space < tagEnd) {
    // busybox writes `auth.info` before the tag; anything else with a space in the tag is not a tag.
    if (!isFacilityLevel(text, tagStart, space)) return 'no-program';
    tagStart = space + 1;
    while (text.charCodeAt(tagStart) === 32) tagStart++;
    space = text.indexOf(' ', tagStart);
    if (tagEnd <= tagStart || (space !== -1 && space < tagEnd)) return 'no-program';
  }
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
    program = normaliseProgram(text.slice(tagStart, nameEnd));
  }
  let mStart = tagEnd + 2;
  while (text.charCodeAt(mStart) === 32) mStart++;
  // Solaris: `[ID 800047 auth.info] ` before the message.
  if (text.charCodeAt(mStart) === 91 && text.startsWith('[ID ', mStart)) mStart = skipSolarisId(text, mStart);
  let mEnd = text.length;
  while (mEnd > mStart && (text.charCodeAt(mEnd - 1) === 32 || text.charCodeAt(mEnd - 1) === 9)) mEnd--;
  return { ts, host, program, pid, message: text.slice(mStart, mEnd) };
}

function skipSolarisId(text: string, at: number): number {
  let i = at + 4;
  const s = i;
  while (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === s || text.charCodeAt(i) !== 32) return at;
  const close = text.indexOf('] ', i + 1);
  if (close === -1 || !isFacilityLevel(text, i + 1, close)) return at;
  i = close + 2;
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

/**
 * One name per program, whatever the transport wrote. RHEL-era PAM lines name the module in the tag:
 * `sshd(pam_unix)` is sshd; polkit 0.105 writes `polkitd(authority=local)`. systemd writes the user
 * manager of a session as `(systemd)` and its PAM helper as `(sd-pam)`: the name is inside. GDM's PAM
 * worker writes `gdm-password]` (a stray bracket of its process title).
 */
export function normaliseProgram(name: string): string {
  let program = name;
  if (program.charCodeAt(0) === 40 && program.endsWith(')')) program = program.slice(1, -1);
  const paren = program.indexOf('(');
  if (paren > 0) program = program.slice(0, paren);
  if (program.endsWith(']') && !program.includes('[')) program = program.slice(0, -1);
  return program;
}
