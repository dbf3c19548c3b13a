// agent/parse/journal-json.ts: one `journalctl -o json` entry → envelope. journald writes a field as an
// array of bytes when it is not valid UTF-8 (or holds control characters), so every field may be one.
import { canonicalAudit } from './audit.js';
import { normaliseProgram, type Envelope } from './header.js';

export type JournalError = 'bad-json' | 'no-message' | 'bad-timestamp';

function field(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    // A field repeated in one entry comes as an array of values; a binary field as an array of bytes.
    if (v.length > 0 && typeof v[0] === 'number') return Buffer.from(v as number[]).toString('utf8');
    return field(v[0]);
  }
  return undefined;
}

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
  if (!Number.isFinite(ts)) return 'bad-timestamp';
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
