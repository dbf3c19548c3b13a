// One action, counted once, when auditd and syslog both carry it; counted when only audit does. The logs
// are written from one story (a password guess that succeeds, then sudo useradd): auth.log as rsyslog
// writes it and audit.log as auditd writes it (ENRICHED), with the pids, order and timing of the real
// programs (openssh audit-linux.c, libpam pam_audit.c, sudo, shadow).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../agent/cli/scan.js';
import { DEFAULT_DETECTION } from '../../agent/config/detection.js';
import { loadRules } from '../../agent/match/load-rules.js';
import { EMPTY_OVERRIDES } from '../../agent/override/load.js';
import { Parser } from '../../agent/parse/parse.js';
import { Pipeline } from '../../agent/pipeline.js';

const GS = '\u001d';
const IP = '203.0.113.50';
const T0 = Date.UTC(2026, 2, 12, 2, 20, 0);
const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex').toUpperCase();

function story(): { auth: string[]; audit: string[] } {
  const auth: string[] = [];
  const audit: string[] = [];
  let serial = 5000;
  const syslog = (ms: number, tag: string, msg: string): void => {
    const d = new Date(T0 + ms);
    auth.push(`Mar 12 ${d.toISOString().slice(11, 19)} web-01 ${tag}: ${msg}`);
  };
  const rec = (ms: number, type: string, pid: number, kernel: string, msg: string, enriched: string): void => {
    const t = T0 + ms;
    audit.push(`type=${type} msg=audit(${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}:${serial++}): pid=${pid} ${kernel} subj=unconfined msg='${msg}'${GS}${enriched}`);
  };
  const pre = 'uid=0 auid=4294967295 ses=4294967295';
  const sshd = (acct: string, res: string, op = 'PAM:authentication grantors=?'): string =>
    `op=${op} acct="${acct}" exe="/usr/sbin/sshd" hostname=${IP} addr=${IP} terminal=ssh res=${res}`;
  // Eight wrong passwords for alice, one connection each.
  for (let i = 0; i < 8; i++) {
    const pid = 3100 + i, ms = i * 4000, port = 50100 + i;
    syslog(ms, `sshd[${pid}]`, `Failed password for alice from ${IP} port ${port} ssh2`);
    rec(ms + 120, 'USER_AUTH', pid, pre, sshd('alice', 'failed'), 'UID="root" AUID="unset"');
    rec(ms + 125, 'USER_LOGIN', pid, pre, `op=login acct="alice" exe="/usr/sbin/sshd" hostname=? addr=${IP} terminal=sshd res=failed`, 'UID="root" AUID="unset"');
    syslog(ms + 1000, `sshd[${pid}]`, `Connection closed by authenticating user alice ${IP} port ${port} [preauth]`);
  }
  // The ninth succeeds; the session's terminal is set up in a child process.
  const q = 3200, ms = 40_000;
  syslog(ms, `sshd[${q}]`, `Accepted password for alice from ${IP} port 50200 ssh2`);
  rec(ms + 10, 'USER_AUTH', q, pre, sshd('alice', 'success', 'PAM:authentication grantors=pam_unix'), 'UID="root" AUID="unset"');
  rec(ms + 12, 'USER_ACCT', q, pre, sshd('alice', 'success', 'PAM:accounting grantors=pam_permit'), 'UID="root" AUID="unset"');
  rec(ms + 14, 'CRED_ACQ', q, pre, sshd('alice', 'success', 'PAM:setcred grantors=pam_permit'), 'UID="root" AUID="unset"');
  syslog(ms + 20, `sshd[${q}]`, 'pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)');
  rec(ms + 22, 'USER_START', q, 'uid=0 auid=1000 ses=7', sshd('alice', 'success', 'PAM:session_open grantors=pam_unix'), 'UID="root" AUID="alice"');
  rec(ms + 90, 'USER_LOGIN', q + 1, 'uid=0 auid=1000 ses=7', `op=login id=1000 exe="/usr/sbin/sshd" hostname=${IP} addr=${IP} terminal=/dev/pts/0 res=success`, 'UID="root" AUID="alice" ID="alice"');
  // sudo useradd support (sudo's command line names no pid: it logs without LOG_PID).
  const s = 3300, m2 = 100_000;
  syslog(m2, 'sudo', '   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/sbin/useradd support');
  rec(m2 + 5, 'USER_CMD', s, 'uid=1000 auid=1000 ses=7', `cwd="/home/alice" cmd=${hex('useradd support')} exe="/usr/bin/sudo" terminal=pts/0 res=success`, 'UID="alice" AUID="alice"');
  syslog(m2 + 10, `sudo[${s}]`, 'pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)');
  rec(m2 + 12, 'USER_START', s, 'uid=0 auid=1000 ses=7', 'op=PAM:session_open grantors=pam_unix acct="root" exe="/usr/bin/sudo" hostname=? addr=? terminal=/dev/pts/0 res=success', 'UID="root" AUID="alice"');
  const u = 3301, m3 = 101_000;
  syslog(m3, `useradd[${u}]`, 'new group: name=support, GID=1002');
  rec(m3 + 3, 'ADD_GROUP', u, 'uid=0 auid=1000 ses=7', 'op=add-group acct="support" exe="/usr/sbin/useradd" hostname=web-01 addr=? terminal=pts/0 res=success', 'UID="root" AUID="alice"');
  syslog(m3 + 5, `useradd[${u}]`, 'new user: name=support, UID=1002, GID=1002, home=/home/support, shell=/bin/sh, from=/dev/pts/0');
  rec(m3 + 8, 'ADD_USER', u, 'uid=0 auid=1000 ses=7', 'op=add-user acct="support" exe="/usr/sbin/useradd" hostname=web-01 addr=? terminal=pts/0 res=success', 'UID="root" AUID="alice"');
  return { auth, audit };
}

const dir = mkdtempSync(join(tmpdir(), 'sentra-audit-'));
const { auth, audit } = story();
const authLog = join(dir, 'auth.log');
const auditLog = join(dir, 'audit.log');
writeFileSync(authLog, `${auth.join('\n')}\n`);
writeFileSync(auditLog, `${audit.join('\n')}\n`);

interface Out { signals: Array<Record<string, unknown>>; stats: Record<string, number> }
async function scan(files: string[]): Promise<Out> {
  let text = '';
  const sink = new Writable({ write(c: Buffer, _e, cb) { text += c.toString(); cb(); } });
  const code = await runScan(files, { format: 'json', quiet: true, year: '2026', timezone: 'UTC' }, sink);
  expect(code).toBe(0);
  return JSON.parse(text) as Out;
}
const essence = (o: Out): unknown[] => o.signals.map((s) => ({ id: s.id, kind: s.kind, count: s.count, rules: s.rules, mitre: s.mitre, entities: s.entities, facts: s.facts }));
const kinds = (o: Out): string[] => o.signals.map((s) => s.kind as string).sort();

describe('audit and syslog of the same actions', () => {
  it('gives the same signals as syslog alone, with every audit record folded into a log line', async () => {
    const syslogOnly = await scan([authLog]);
    const both = await scan([authLog, auditLog]);
    expect(kinds(syslogOnly)).toEqual(expect.arrayContaining(['ssh-success-after-failures', 'remote-login', 'privilege-use', 'account-change']));
    expect(essence(both)).toEqual(essence(syslogOnly));
    expect(both.stats.duplicates).toBe(audit.length);
  });

  it('is the same whichever input is named first', async () => {
    expect(essence(await scan([auditLog, authLog]))).toEqual(essence(await scan([authLog, auditLog])));
  });

  it('counts the audit records when there is no syslog, each action once', async () => {
    const only = await scan([auditLog]);
    expect(kinds(only)).toEqual(expect.arrayContaining(['ssh-success-after-failures', 'remote-login', 'privilege-use', 'account-change']));
    const saf = only.signals.find((s) => s.kind === 'ssh-success-after-failures')!;
    // Eight tries: USER_AUTH counts each; the USER_LOGIN record of the same connection adds none.
    expect(saf.facts).toMatchObject({ failures_before: 8 });
    expect(saf.entities).toMatchObject({ user: 'alice', src_ip: IP });
    expect(saf.rules).toEqual(expect.arrayContaining(['audit-sshd-login', 'audit-user-auth-failed']));
    expect(saf.mitre).toEqual(expect.arrayContaining(['T1110.001', 'T1021.004']));
    const change = only.signals.find((s) => s.kind === 'account-change')!;
    expect(change.entities).toMatchObject({ target_user: 'support' });
    expect(only.stats.duplicates).toBe(0);
  });
});

describe('arrival order, as two live sources deliver them', () => {
  // The live agent follows auth.log and audit.log apart: a record may arrive before or after its log line.
  function live(auditFirst: boolean): { signals: unknown[]; duplicates: number } {
    const p = new Pipeline({ rules: loadRules(), detection: DEFAULT_DETECTION, overrides: EMPTY_OVERRIDES });
    const years = { kind: 'first', year: 2026 } as const;
    const authParser = new Parser({ years, timeZone: 'UTC' });
    const auditParser = new Parser({ years, timeZone: 'UTC', defaultHost: 'web-01' });
    const ts = (line: string): number => {
      const m = /audit\((\d+)\.(\d+):/.exec(line);
      return m ? Number(m[1]) * 1000 + Number(m[2]) : Date.parse(`2026 ${line.slice(0, 15)} UTC`);
    };
    const all = [...auth.map((t, i) => ({ t, audit: false, i })), ...audit.map((t, i) => ({ t, audit: true, i }))];
    // Each line at its second; within one second, audit records first or log lines first.
    all.sort((x, y) => Math.floor(ts(x.t) / 1000) - Math.floor(ts(y.t) / 1000) || (x.audit === y.audit ? x.i - y.i : (x.audit === auditFirst ? -1 : 1)));
    for (const x of all) p.feed([{ text: x.t, file: x.audit ? 'audit.log' : 'auth.log', lineNo: x.i + 1 }], x.audit ? auditParser : authParser);
    const out = p.flush().map((s) => ({ id: s.id, kind: s.kind, count: s.count, rules: s.rules }));
    return { signals: out, duplicates: p.stats.duplicates };
  }

  it('folds every audit record whether it arrives before or after its log line', () => {
    const before = live(true);
    const after = live(false);
    expect(before.signals).toEqual(after.signals);
    expect([before.duplicates, after.duplicates]).toEqual([audit.length, audit.length]);
  });
});
