// The kernel's audit records in the journal (journald's audit transport: SYSLOG_IDENTIFIER=audit,
// _TRANSPORT=audit, MESSAGE=<TYPE> pid=… msg='…'), read from real journal files by the real journalctl
// with the identifiers the agent asks for, parsed and matched; and left out when audit.log is read instead.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRules } from '../../agent/match/load-rules.js';
import { Matcher } from '../../agent/match/match.js';
import { journalIdentifiers } from '../../agent/parse/identifiers.js';
import { Parser } from '../../agent/parse/parse.js';
import { JournaldSource } from '../../agent/sources/journald-source.js';
import { appendJournal, type Entry } from '../helpers/journal.js';
import { waitFor } from '../helpers/wait.js';

const T0 = 1_772_852_467_121_000;
let sources: JournaldSource[] = [];
afterEach(async () => {
  await Promise.all(sources.map((s) => s.stop()));
  sources = [];
});

const rules = loadRules();
const entries: Entry[] = [
  { realtimeUs: T0, identifier: 'sshd', facility: 10, pid: 4242, message: 'Failed password for alice from 203.0.113.50 port 50100 ssh2' },
  { realtimeUs: T0 + 1000, identifier: 'audit', facility: 4, pid: 4242, fields: { _TRANSPORT: 'audit', _AUDIT_ID: '1021', _AUDIT_TYPE: '1100' },
    message: 'USER_AUTH pid=4242 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg=\'op=PAM:authentication grantors=? acct="alice" exe="/usr/sbin/sshd" hostname=203.0.113.50 addr=203.0.113.50 terminal=ssh res=failed\'' },
];

function follow(dir: string, skipAuditTransport: boolean): { texts: string[]; src: JournaldSource } {
  const texts: string[] = [];
  const src = new JournaldSource(undefined, { journalctl: 'journalctl', directory: dir, identifiers: journalIdentifiers(rules.rules.flatMap((r) => r.spec.programs)),
    facilities: [4, 10], maxLineBytes: 65_536, initialBackfillHours: 24 * 365 * 30, maxCatchupHours: 24 * 365 * 30, skipAuditTransport });
  sources.push(src);
  void src.start(async (batch) => { for (const l of batch) texts.push(l.text); });
  return { texts, src };
}

describe('journal audit records', () => {
  it('are read, named `audit` and matched by rules/audit.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentra-journal-audit-'));
    appendJournal(dir, entries);
    const f = follow(dir, false);
    await waitFor(() => f.texts.length === 2, 'the sshd and audit entries');
    const parser = new Parser({ years: { kind: 'now' }, timeZone: 'UTC' });
    const matcher = new Matcher(rules.rules);
    const got = f.texts.map((text, i) => {
      const line = parser.parse({ text, file: 'journal', lineNo: i + 1 });
      if (typeof line === 'string') throw new Error(line);
      const ev = matcher.match(line);
      return [line.program, line.pid, ev?.rule.id, ev?.fields.user, ev?.fields.src_ip];
    });
    expect(got).toEqual([
      ['sshd', 4242, 'sshd-failed-password', 'alice', '203.0.113.50'],
      ['audit', 4242, 'audit-user-auth-failed', 'alice', '203.0.113.50'],
    ]);
  });

  it('are left out, and counted, when audit.log is the audit records\' transport', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentra-journal-audit-'));
    appendJournal(dir, [...entries, { realtimeUs: T0 + 2000, identifier: 'sshd', facility: 10, pid: 4243, message: 'Connection closed by 203.0.113.50 port 50101 [preauth]' }]);
    const f = follow(dir, true);
    await waitFor(() => f.texts.length === 2 && f.src.stats.dropped['audit-read-from-file'] === 1, 'two sshd entries, the audit one dropped');
    expect(f.texts.every((t) => !t.includes('"_TRANSPORT":"audit"'))).toBe(true);
  });
});
