// agent/parse/audit.ts: Linux audit records, from /var/log/audit/audit.log or the journal's audit transport,
// turned into one canonical message that rules/audit.yaml matches (program `audit`):
//
//   audit.log:  [node=N ]type=USER_AUTH msg=audit(1700000000.123:456): pid=1234 uid=0 auid=4294967295 ses=4294967295
//               subj=unconfined msg='op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=…
//               addr=203.0.113.7 terminal=ssh res=failed'<GS>UID="root" AUID="unset"
//   journal:    MESSAGE=USER_AUTH pid=1234 uid=0 … msg='op=PAM:…'           (SYSLOG_IDENTIFIER=audit)
//   canonical:  USER_AUTH op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=… addr=…
//               terminal=ssh res=failed uid=0 auid=4294967295 ses=4294967295 UID="root" AUID="unset"
//
// Formats from audit 3.0.9 (lib/audit_logging.c: audit_log_acct_message, audit_log_user_message,
// audit_log_user_command; src/auditd-event.c: the ENRICHED part after 0x1D) and the kernel's user-message
// prefix (pid, uid, auid, ses, subj). Values libaudit hex-encodes (acct, exe, cmd, cwd, comm, grp…: any with
// a space, quote or control character) are decoded and quoted; a quote or control character inside is
// written as \xNN so a quoted value never ends early. The first record of an event (`audit(time:serial)`)
// stands for the event: later records with the same stamp (PATH, CWD, PROCTITLE, EOE of a syscall event)
// are folded into it and counted, not matched.
import type { Envelope } from './header.js';

/** The user-space fields libaudit may hex-encode (audit_encode_nv_string, audit_encode_value callers). */
const ENCODABLE = new Set(['acct', 'exe', 'cmd', 'cwd', 'comm', 'grp', 'new_group', 'old-seuser', 'new-seuser', 'name',
  'ID', 'UID', 'AUID', 'SUID', 'EUID', 'FSUID', 'OUID', 'GID', 'EGID', 'SGID', 'FSGID', 'OGID']);
/** Kernel prefix fields kept, after the user-space ones: who did it (uid, the login uid auid, the session). */
const KEPT_KERNEL = new Set(['uid', 'auid', 'ses']);

export interface AuditRecord {
  type: string;
  /** `time:serial`, the event's stamp. */
  event: string;
  ts: number;
  node: string | undefined;
  pid: number | undefined;
  message: string;
}

const isHex = (s: string): boolean => s.length >= 2 && s.length % 2 === 0 && /^[0-9A-F]+$/.test(s);

function escapeValue(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/["\\\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `"quoted"` stays; hex of an encodable field is decoded and quoted; anything else stays as written. */
function value(key: string, v: string): string {
  if (v.charCodeAt(0) === 34) return v;
  if (ENCODABLE.has(key) && isHex(v)) return `"${escapeValue(Buffer.from(v, 'hex').toString('utf8'))}"`;
  return v;
}

/** Splits `k=v k="v w" k='…'` into pairs; a single-quoted value (the user message) is returned whole. */
function fields(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const eq = text.indexOf('=', i);
    const sp = text.indexOf(' ', i);
    if (eq === -1 || (sp !== -1 && sp < eq)) {
      // A bare word (old kernels write `user pid=…`, old PAM `PAM: …`): keep it as a key without value.
      const end = sp === -1 ? n : sp;
      out.push([text.slice(i, end), '']);
      i = end;
      continue;
    }
    const key = text.slice(i, eq);
    let j = eq + 1;
    const q = text.charCodeAt(j);
    let end: number;
    if (q === 34 || q === 39) {
      const close = text.indexOf(q === 34 ? '"' : "'", j + 1);
      end = close === -1 ? n : close + 1;
    } else {
      const s2 = text.indexOf(' ', j);
      end = s2 === -1 ? n : s2;
    }
    out.push([key, text.slice(j, end)]);
    j = end;
    i = j;
  }
  return out;
}

/** The canonical message for record `type` with body `body` (kernel prefix + msg='…', enrichment after GS). */
export function canonicalAudit(type: string, body: string): { message: string; pid: number | undefined } {
  const gs = body.indexOf('\u001d');
  const main = gs === -1 ? body : body.slice(0, gs);
  const user: string[] = [];
  const kernel: string[] = [];
  let pid: number | undefined;
  for (const [k, v] of fields(main)) {
    if (k === 'msg' && v.charCodeAt(0) === 39) {
      for (const [k2, v2] of fields(v.slice(1, v.endsWith("'") ? -1 : undefined))) user.push(v2 === '' ? k2 : `${k2}=${value(k2, v2)}`);
    } else if (k === 'pid') {
      const p = Number(v);
      if (Number.isInteger(p) && p >= 0) pid = p;
    } else if (KEPT_KERNEL.has(k)) kernel.push(`${k}=${v}`);
    else if (k !== 'subj' && k !== 'user' && k !== '') user.push(v === '' ? k : `${k}=${value(k, v)}`);
  }
  const enriched = gs === -1 ? [] : fields(body.slice(gs + 1)).map(([k, v]) => `${k}=${value(k, v)}`);
  return { message: [type, ...user, ...kernel, ...enriched].join(' '), pid };
}

/** `audit(1700000000.123:456):` at `at`; the epoch ms, the stamp and where the body starts, or null. */
function stamp(text: string, at: number): { ts: number; event: string; body: number } | null {
  if (!text.startsWith('audit(', at)) return null;
  const close = text.indexOf('):', at + 6);
  if (close === -1) return null;
  const event = text.slice(at + 6, close);
  const colon = event.indexOf(':');
  const secs = Number(event.slice(0, colon));
  if (colon === -1 || !Number.isFinite(secs) || !/^\d+$/.test(event.slice(colon + 1))) return null;
  return { ts: Math.round(secs * 1000), event, body: close + 2 };
}

/** One audit.log line, or why it is not one. */
export function parseAuditLine(text: string): AuditRecord | 'bad-audit-record' {
  let i = 0;
  let node: string | undefined;
  if (text.startsWith('node=')) {
    const sp = text.indexOf(' ');
    if (sp === -1) return 'bad-audit-record';
    node = text.slice(5, sp);
    i = sp + 1;
  }
  if (!text.startsWith('type=', i)) return 'bad-audit-record';
  const sp = text.indexOf(' ', i);
  if (sp === -1 || !text.startsWith('msg=', sp + 1)) return 'bad-audit-record';
  const type = text.slice(i + 5, sp);
  const st = stamp(text, sp + 5);
  if (st === null) return 'bad-audit-record';
  const { message, pid } = canonicalAudit(type, text.slice(st.body));
  return { type, event: st.event, ts: st.ts, node, pid, message };
}

/** Whether a line looks like an audit.log record (content-based detection, per line). */
export function looksLikeAudit(text: string): boolean {
  return text.startsWith('type=') || (text.startsWith('node=') && text.includes(' type='));
}

/** The envelope of a record; `event` lets the parser fold the later records of one event. */
export function auditEnvelope(r: AuditRecord): Envelope {
  return { ts: r.ts, host: r.node ?? '', program: 'audit', pid: r.pid, message: r.message, event: `${r.node ?? ''}|${r.event}` };
}
