// Header formats recognised per line without configuration: RFC 5424, unpadded BSD days, host-less lines
// (busybox, OpenWrt), sysklogd's `last message repeated`, ISO dates with a space, Solaris message ids.
import { describe, expect, it } from 'vitest';
import type { Line, RawLine } from '../../agent/model.js';
import { Parser, type ParseResult } from '../../agent/parse/parse.js';

const raw = (text: string, lineNo = 1): RawLine => ({ text, file: 't.log', lineNo });
const parser = (defaultHost?: string, timeZone = 'UTC'): Parser =>
  new Parser({ years: { kind: 'first', year: 2026 }, timeZone, ...(defaultHost ? { defaultHost } : {}) });
const ok = (r: ParseResult): Line => {
  if (typeof r === 'string') throw new Error(`unparsed: ${r}`);
  return r;
};
const iso = (l: Line): string => new Date(l.ts).toISOString();
const head = (l: Line): unknown[] => [iso(l), l.host, l.program, l.pid, l.message];

describe('RFC 5424', () => {
  it('reads the full form with structured data and fractional time in a zone', () => {
    const l = ok(parser().parse(raw('<38>1 2026-03-04T05:06:07.123456-04:00 web-01 sshd 8148 - [origin ip="192.0.2.4"][meta sequenceId="7"] Failed password for root from 203.0.113.9 port 4022 ssh2')));
    expect(head(l)).toEqual(['2026-03-04T09:06:07.123Z', 'web-01', 'sshd', 8148, 'Failed password for root from 203.0.113.9 port 4022 ssh2']);
  });

  it('reads NILVALUE fields, no structured data and a BOM before the message', () => {
    const l = ok(parser('box').parse(raw('<86>1 2026-03-04T05:06:07Z - sudo - - - \uFEFFalice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls')));
    expect(head(l)).toEqual(['2026-03-04T05:06:07.000Z', 'box', 'sudo', undefined, 'alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls']);
  });

  it('skips brackets and quotes escaped inside structured data values', () => {
    const l = ok(parser().parse(raw('<38>1 2026-03-04T05:06:07Z h sshd 1 ID47 [x a="q\\"]\\\\" b="]"] Invalid user z from 192.0.2.1 port 1')));
    expect([l.program, l.message]).toEqual(['sshd', 'Invalid user z from 192.0.2.1 port 1']);
  });

  it('counts a message without a time and a broken header instead of guessing', () => {
    expect(parser().parse(raw('<38>1 - h sshd 1 - - x'))).toBe('no-timestamp');
    expect(parser().parse(raw('<38>1 2026-03-04T05:06:07Z h sshd 1 - [unterminated x'))).toBe('bad-header');
    expect(parser().parse(raw('<38 Nov  5 03:39:17 h sshd[1]: x'))).toBe('bad-header');
  });

  it('strips a <PRI> in front of a BSD or ISO line', () => {
    expect(head(ok(parser().parse(raw('<38>Feb  7 16:01:07 h sshd[3]: x'))))).toEqual(['2026-02-07T16:01:07.000Z', 'h', 'sshd', 3, 'x']);
    expect(ok(parser().parse(raw('<38>2026-02-07T16:01:07Z h sshd[3]: x'))).host).toBe('h');
  });
});

describe('BSD lines', () => {
  it('reads an unpadded day', () => {
    expect(head(ok(parser().parse(raw('Feb 7 16:01:07 web-01 sshd[9]: Connection closed by 192.0.2.1 port 22'))))).toEqual(
      ['2026-02-07T16:01:07.000Z', 'web-01', 'sshd', 9, 'Connection closed by 192.0.2.1 port 22']);
  });

  it('reads lines without a host name', () => {
    expect(head(ok(parser('router').parse(raw('Nov 23 21:50:37 sshd[8148]: Failed password for root from 192.0.2.1 port 1 ssh2'))))).toEqual(
      ['2026-11-23T21:50:37.000Z', 'router', 'sshd', 8148, 'Failed password for root from 192.0.2.1 port 1 ssh2']);
    expect(ok(parser().parse(raw('Nov 23 21:50:37 login: ROOT LOGIN  on \'/dev/tty1\''))).host).toBe('localhost');
  });

  it('tells a host-less line from a normal one by the shape of the first word, not by guessing names', () => {
    // A host-less line whose message holds what looks like another header.
    const a = ok(parser('h0').parse(raw('Nov 23 21:50:37 sshd[1]: Invalid user web-01 sshd[2]: from 192.0.2.1 port 1')));
    expect([a.host, a.program, a.pid, a.message]).toEqual(['h0', 'sshd', 1, 'Invalid user web-01 sshd[2]: from 192.0.2.1 port 1']);
    // A host named like a program, and a host-less tag that looks like a host name.
    const b = ok(parser().parse(raw('Nov 23 21:50:37 sshd sshd[2]: x')));
    expect([b.host, b.program]).toEqual(['sshd', 'sshd']);
    const c = ok(parser('h0').parse(raw('Nov 23 21:50:37 mail.example.com: x y')));
    expect([c.host, c.program, c.message]).toEqual(['h0', 'mail.example.com', 'x y']);
    // An IPv6 address as the host name keeps its colons and stays the host.
    const d = ok(parser().parse(raw('Nov 23 21:50:37 2001:db8:: sshd[2]: x')));
    expect([d.host, d.program]).toEqual(['2001:db8::', 'sshd']);
  });

  it('reads busybox syslogd lines with facility.level after the host', () => {
    const l = ok(parser().parse(raw('Nov 23 21:50:37 OpenWrt authpriv.info dropbear[1234]: Password auth succeeded for \'root\' from 192.0.2.2:5678')));
    expect([l.host, l.program, l.pid, l.message]).toEqual(['OpenWrt', 'dropbear', 1234, 'Password auth succeeded for \'root\' from 192.0.2.2:5678']);
  });

  it('reads OpenWrt logread lines: weekday, year, no host, facility.level', () => {
    const l = ok(parser('ap').parse(raw('Mon Nov 23 21:50:37 2020 authpriv.warn dropbear[1234]: Bad password attempt for \'root\' from 192.0.2.3:40000')));
    expect(head(l)).toEqual(['2020-11-23T21:50:37.000Z', 'ap', 'dropbear', 1234, 'Bad password attempt for \'root\' from 192.0.2.3:40000']);
  });

  it('removes a Solaris message id and facility before the message', () => {
    const l = ok(parser().parse(raw('Nov 23 21:50:37 sol10 sshd[1234]: [ID 800047 auth.info] Failed password for bob from 192.0.2.5 port 2 ssh2')));
    expect([l.host, l.program, l.message]).toEqual(['sol10', 'sshd', 'Failed password for bob from 192.0.2.5 port 2 ssh2']);
    expect(ok(parser().parse(raw('Nov 23 21:50:37 h sshd[1]: [ID 12 not.afacility] x'))).message).toBe('[ID 12 not.afacility] x');
  });
});

describe('last message repeated', () => {
  const first = 'Nov 23 21:50:30 h sshd[5]: Failed password for root from 192.0.2.1 port 22 ssh2';
  for (const [name, text] of [
    ['with an empty host field', 'Nov 23 21:50:40  last message repeated 3 times'],
    ['with a host', 'Nov 23 21:50:40 h last message repeated 3 times'],
    ['without a host', 'Nov 23 21:50:40 last message repeated 3 times'],
    ['with an unpadded day', 'Nov 3 21:50:40  last message repeated 3 times'],
  ] as const) {
    it(`keeps the count ${name}`, () => {
      const p = parser();
      ok(p.parse(raw(first)));
      const again = ok(p.parse(raw(text, 2)));
      expect([again.message, again.repeat, again.raw.lineNo, again.program]).toEqual([
        'Failed password for root from 192.0.2.1 port 22 ssh2', 3, 2, 'sshd']);
    });
  }

  it('counts a repeat with no line before it as unparsed, with its own reason', () => {
    expect(parser().parse(raw('Nov 23 21:50:40  last message repeated 2 times'))).toBe('repeat-without-line');
  });
});

describe('ISO dates with a space', () => {
  it('reads syslog-ng templates with and without fractions and zones', () => {
    expect(head(ok(parser().parse(raw('2026-03-04 05:06:07 web-01 sshd[1]: x'))))).toEqual(['2026-03-04T05:06:07.000Z', 'web-01', 'sshd', 1, 'x']);
    expect(iso(ok(parser().parse(raw('2026-03-04 05:06:07.250+0100 web-01 sshd[1]: x'))))).toBe('2026-03-04T04:06:07.250Z');
    expect(iso(ok(parser(undefined, 'Europe/Berlin').parse(raw('2026-07-04 12:00:00 h sshd[1]: x'))))).toBe('2026-07-04T10:00:00.000Z');
  });

  it('reads macOS `log show --style syslog` lines', () => {
    const l = ok(parser().parse(raw('2026-03-04 05:06:07.123456-0800  localhost sshd-session[4242]: Accepted publickey for a from 192.0.2.1 port 1 ssh2')));
    expect(head(l)).toEqual(['2026-03-04T13:06:07.123Z', 'localhost', 'sshd-session', 4242, 'Accepted publickey for a from 192.0.2.1 port 1 ssh2']);
  });

  it('refuses impossible zones and times', () => {
    expect(parser().parse(raw('2026-03-04 05:06:07+9999 h sshd[1]: x'))).toBe('bad-timestamp');
    expect(parser().parse(raw('2026-13-04 05:06:07 h sshd[1]: x'))).toBe('bad-timestamp');
  });
});

describe('program names', () => {
  it('normalises polkit 0.105 and GDM tags like the journal path does', () => {
    expect(ok(parser().parse(raw('Nov 23 21:50:37 h polkitd(authority=local)[900]: Registered Authentication Agent'))).program).toBe('polkitd');
    expect(ok(parser().parse(raw('Nov 23 21:50:37 h gdm-password]: pam_unix(gdm-password:auth): authentication failure'))).program).toBe('gdm-password');
  });
});
