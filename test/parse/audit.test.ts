// Audit records as auditd writes them (RAW and ENRICHED formats, node= prefixes, hex-encoded values) and as
// journald's audit transport stores them, in the one canonical form rules/audit.yaml matches.
import { describe, expect, it } from 'vitest';
import type { Line, RawLine } from '../../agent/model.js';
import { canonicalAudit, parseAuditLine } from '../../agent/parse/audit.js';
import { FOLDED, Parser, type ParseResult } from '../../agent/parse/parse.js';

const GS = '\u001d';
const raw = (text: string, lineNo = 1): RawLine => ({ text, file: '/var/log/audit/audit.log', lineNo });
const parser = (defaultHost?: string): Parser => new Parser({ years: { kind: 'first', year: 2026 }, timeZone: 'UTC', ...(defaultHost ? { defaultHost } : {}) });
const ok = (r: ParseResult): Line => {
  if (typeof r === 'string') throw new Error(`unparsed: ${r}`);
  return r;
};

const USER_AUTH = `type=USER_AUTH msg=audit(1772852467.121:1021): pid=4242 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='op=PAM:authentication grantors=? acct="alice" exe="/usr/sbin/sshd" hostname=203.0.113.50 addr=203.0.113.50 terminal=ssh res=failed'${GS}UID="root" AUID="unset"`;

describe('audit.log records', () => {
  it('reads the stamp, pid and fields of an enriched record into the canonical message', () => {
    const l = ok(parser('web-01').parse(raw(USER_AUTH)));
    expect([new Date(l.ts).toISOString(), l.host, l.program, l.pid]).toEqual(['2026-03-07T03:01:07.121Z', 'web-01', 'audit', 4242]);
    expect(l.message).toBe('USER_AUTH op=PAM:authentication grantors=? acct="alice" exe="/usr/sbin/sshd" hostname=203.0.113.50 '
      + 'addr=203.0.113.50 terminal=ssh res=failed uid=0 auid=4294967295 ses=4294967295 UID="root" AUID="unset"');
  });

  it('takes the host from node= and reads the RAW format (no enrichment)', () => {
    const l = ok(parser().parse(raw('node=db-02 type=ADD_USER msg=audit(1772852501.200:1045): pid=4310 uid=0 auid=1000 ses=7 msg=\'op=add-user acct="support" exe="/usr/sbin/useradd" hostname=db-02 addr=? terminal=pts/0 res=success\'')));
    expect([l.host, l.pid]).toEqual(['db-02', 4310]);
    expect(l.message).toBe('ADD_USER op=add-user acct="support" exe="/usr/sbin/useradd" hostname=db-02 addr=? terminal=pts/0 res=success uid=0 auid=1000 ses=7');
  });

  it('decodes hex-encoded values (acct, cmd, exe, enriched names) and keeps quotes inside them harmless', () => {
    const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex').toUpperCase();
    const l = ok(parser().parse(raw(`type=USER_CMD msg=audit(1772852500.100:1040): pid=4300 uid=1000 auid=1000 ses=7 subj=unconfined msg='cwd=${hex('/home/a b')} cmd=${hex('cat "/etc/shadow"')} exe="/usr/bin/sudo" terminal=pts/0 res=success'${GS}UID=${hex('dé v')} AUID="alice"`)));
    expect(l.message).toBe('USER_CMD cwd="/home/a b" cmd="cat \\x22/etc/shadow\\x22" exe="/usr/bin/sudo" terminal=pts/0 res=success uid=1000 auid=1000 ses=7 UID="dé v" AUID="alice"');
    const acct = canonicalAudit('USER_LOGIN', `pid=1 uid=0 auid=1 ses=1 msg='op=login acct=${hex('evil"user\n')} exe="/usr/sbin/sshd" hostname=? addr=192.0.2.1 terminal=sshd res=failed'`);
    expect(acct.message).toContain('acct="evil\\x22user\\x0a"');
  });

  it('folds the later records of one event into the first and counts them apart', () => {
    const p = parser();
    const ev = 'msg=audit(1772852501.300:1046):';
    expect(ok(p.parse(raw(`type=SYSCALL ${ev} arch=c000003e syscall=257 success=yes exit=3 ppid=4300 pid=4310 auid=1000 uid=0 ses=7 comm="useradd" exe="/usr/sbin/useradd" key="identity"`))).message).toMatch(/^SYSCALL arch=/);
    expect(p.parse(raw(`type=PATH ${ev} item=0 name="/etc/" inode=131073 nametype=PARENT`, 2))).toBe(FOLDED);
    expect(p.parse(raw(`type=PROCTITLE ${ev} proctitle=75736572616464`, 3))).toBe(FOLDED);
    expect(ok(p.parse(raw(USER_AUTH, 4))).pid).toBe(4242);
  });

  it('counts records it cannot read under their own reason', () => {
    expect(parser().parse(raw('type=USER_AUTH msg=audit(garbage): pid=1'))).toBe('bad-audit-record');
    expect(parser().parse(raw('type=USER_AUTH pid=1'))).toBe('bad-audit-record');
    expect(parseAuditLine('node=x')).toBe('bad-audit-record');
  });
});

describe('journal audit records', () => {
  const entry = (o: Record<string, unknown>): string => JSON.stringify({
    __CURSOR: 's=a;i=9', __REALTIME_TIMESTAMP: '1772852467121000', _HOSTNAME: 'web-01', _TRANSPORT: 'audit',
    SYSLOG_IDENTIFIER: 'audit', SYSLOG_FACILITY: '4', _PID: '4242', _AUDIT_ID: '1021', _AUDIT_TYPE_NAME: 'USER_AUTH',
    MESSAGE: 'USER_AUTH pid=4242 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg=\'op=PAM:authentication grantors=? acct="alice" exe="/usr/sbin/sshd" hostname=203.0.113.50 addr=203.0.113.50 terminal=ssh res=failed\'',
    ...o,
  });

  it('gives the same canonical message as audit.log (less the enriched names)', () => {
    const l = ok(parser().parse(raw(entry({}))));
    expect([l.host, l.program, l.pid]).toEqual(['web-01', 'audit', 4242]);
    expect(l.message).toBe('USER_AUTH op=PAM:authentication grantors=? acct="alice" exe="/usr/sbin/sshd" hostname=203.0.113.50 '
      + 'addr=203.0.113.50 terminal=ssh res=failed uid=0 auid=4294967295 ses=4294967295');
  });

  it('folds entries of the same audit event', () => {
    const p = parser();
    ok(p.parse(raw(entry({ MESSAGE: 'SYSCALL arch=c000003e syscall=59 pid=7 auid=0 uid=0 ses=1', _AUDIT_ID: '77' }))));
    expect(p.parse(raw(entry({ MESSAGE: 'EXECVE argc=1 a0="id"', _AUDIT_ID: '77' })))).toBe(FOLDED);
  });
});
