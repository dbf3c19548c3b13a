// agent/parse/journal-json.ts: one `journalctl -o json` entry → envelope. journald writes a field as an
// array of bytes when it is not valid UTF-8 (or holds control characters), so every field may be one.
import { canonicalAudit } from './audit.js';
import { normaliseProgram, type Envelope } from './header.js';

export type JournalError = 'bad-json' | 'no-message' | 'bad-timestamp';

/**
 * A field's value. A field repeated in one entry comes as an array of values (the first is taken); a binary
 * field as an array of bytes. Anything else (objects, deeper nesting, numbers outside 0–255 in a byte array)
 * is not something journald writes, and is no value: a hostile line must not cost a deep recursion.
 */
function field(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const first: unknown = v[0];
  if (typeof first === 'string') return first;
  if (typeof first !== 'number') return undefined;
  for (const b of v) if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 255) return undefined;
  return Buffer.from(v as number[]).toString('utf8');
}

/** Event times a Date can hold and a log can mean: from 1970 to the end of year 9999. */
export const MAX_EVENT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function parseJournalJson(text: string): (Envelope & { cursor?: string }) | JournalError {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return 'bad-json';
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return 'bad-json';
  const e = entry as Record<string, unknown>;
  const message = field(e.MESSAGE);
  if (message === undefined) return 'no-message';
  const micros = field(e.__REALTIME_TIMESTAMP) ?? field(e._SOURCE_REALTIME_TIMESTAMP);
  const ts = micros === undefined ? NaN : Math.floor(Number(micros) / 1000);
  if (!Number.isFinite(ts) || ts < 0 || ts > MAX_EVENT_MS) return 'bad-timestamp';
  const pid = Number(field(e.SYSLOG_PID) ?? field(e._PID));
  const out: Envelope & { cursor?: string } = {
    ts,
    host: field(e._HOSTNAME) ?? '',
    // The same name the text path gives it: `polkitd(authority=local)` is polkitd, `gdm-password]` gdm-password.
    program: normaliseProgram(field(e.SYSLOG_IDENTIFIER) ?? field(e._COMM) ?? 'unknown'),
    pid: Number.isInteger(pid) ? pid : undefined,
    message: message.replace(/^\s+|\s+$/g, ''),
  };
  // The kernel's audit records, as journald's audit transport stores them: `TYPE pid=… msg='…'`.
  if (out.program === 'audit' && (field(e._TRANSPORT) === 'audit' || /^[A-Z][A-Z0-9_]* /.test(out.message))) {
    const sp = out.message.indexOf(' ');
    const a = canonicalAudit(out.message.slice(0, sp), out.message.slice(sp + 1));
    out.message = a.message;
    if (out.pid === undefined) out.pid = a.pid;
    const id = field(e._AUDIT_ID);
    if (id !== undefined) out.event = `${out.host}|${id}`;
  }
  const cursor = field(e.__CURSOR);
  if (cursor !== undefined) out.cursor = cursor;
  return out;
}
