import { describe, expect, it } from 'vitest';
import { YearResolver, ZoneClock } from '../../agent/parse/clock.js';
import { Parser, type ParseResult } from '../../agent/parse/parse.js';
import type { Line, RawLine } from '../../agent/model.js';

const raw = (text: string, lineNo = 1): RawLine => ({ text, file: 't.log', lineNo });
const parser = (year = 2026, timeZone = 'UTC', host?: string): Parser =>
  new Parser({ years: { kind: 'first', year }, timeZone, ...(host ? { host } : {}) });
const ok = (r: ParseResult): Line => {
  if (typeof r === 'string') throw new Error(`unparsed: ${r}`);
  return r;
};

describe('classic syslog lines', () => {
  it('splits timestamp, host, program, pid and message', () => {
    const l = ok(parser().parse(raw('Nov  5 03:39:17 web-01 sshd[123]: Failed password for root from 203.0.113.7 port 4242 ssh2')));
    expect(new Date(l.ts).toISOString()).toBe('2026-11-05T03:39:17.000Z');
    expect([l.host, l.program, l.pid]).toEqual(['web-01', 'sshd', 123]);
    expect(l.message).toBe('Failed password for root from 203.0.113.7 port 4242 ssh2');
  });

  it('reads a tag without pid, and trims the padding old sudo puts before the message', () => {
    const l = ok(parser().parse(raw('Feb 21 21:56:12 localhost sudo:   vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls')));
    expect([l.program, l.pid]).toEqual(['sudo', undefined]);
    expect(l.message.startsWith('vagrant : TTY')).toBe(true);
  });

  it('normalises the RHEL-era sshd(pam_unix) tag to sshd', () => {
    const l = ok(parser(2005).parse(raw('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0')));
    expect([l.program, l.pid]).toEqual(['sshd', 19939]);
  });

  it('unwraps rsyslog "message repeated N times" and keeps the count', () => {
    const l = ok(parser().parse(raw('Jan  5 06:25:01 h sshd[9]: message repeated 3 times: [ Failed password for root from 198.51.100.1 port 22 ssh2]')));
    expect(l.repeat).toBe(3);
    expect(l.message).toBe('Failed password for root from 198.51.100.1 port 22 ssh2');
  });

  it('converts local wall time in the configured zone to UTC', () => {
    const l = ok(parser(2026, 'Europe/Berlin').parse(raw('Jul  1 12:00:00 h sshd[1]: x')));
    expect(new Date(l.ts).toISOString()).toBe('2026-07-01T10:00:00.000Z');
    const w = ok(parser(2026, 'Europe/Berlin').parse(raw('Jan  1 12:00:00 h sshd[1]: x')));
    expect(new Date(w.ts).toISOString()).toBe('2026-01-01T11:00:00.000Z');
  });

  it('reads systemd\'s parenthesised names: (systemd) is systemd', () => {
    const l = ok(parser().parse(raw('2026-01-05T06:25:01.000000+00:00 h (systemd)[812]: pam_unix(systemd-user:session): session opened')));
    expect([l.program, l.pid]).toEqual(['systemd', 812]);
  });

  it('turns syslogd\'s "last message repeated N times" into N more of the line before', () => {
    const p = parser();
    ok(p.parse(raw('Feb 21 21:56:12 h sshd[5]: Failed password for root from 192.0.2.1 port 22 ssh2')));
    const again = ok(p.parse(raw('Feb 21 21:56:40  last message repeated 3 times', 2)));
    expect([again.message, again.repeat, again.raw.lineNo]).toEqual(['Failed password for root from 192.0.2.1 port 22 ssh2', 3, 2]);
    expect(parser().parse(raw('Feb 21 21:56:40 h last message repeated 3 times'))).toBe('repeat-without-line');
  });

  it('counts lines it cannot split instead of failing', () => {
    const p = parser();
    for (const [text, reason] of [['', 'empty'], ['garbage', 'bad-timestamp'], ['Foo  5 03:39:17 h sshd: x', 'bad-timestamp'],
      ['Nov  5 03:39:17 host last message repeated 2 times', 'repeat-without-line'], ['Nov  5 03:39:17 host sshd x', 'no-program'], ['Nov  5 03:39:17 ', 'no-host']] as const) {
      expect(p.parse(raw(text)), text).toBe(reason);
    }
  });

  it('survives NUL bytes and replacement characters inside the message', () => {
    const l = ok(parser().parse(raw('Nov  5 03:39:17 h sshd[1]: Invalid user a\u0000\uFFFD from 192.0.2.1 port 1')));
    expect(l.message).toContain('\u0000');
  });
});

describe('year inference', () => {
  it('with a reference (file mtime in January), December lines belong to the year before', () => {
    const y = new YearResolver({ kind: 'reference', year: 2027, month: 0 });
    expect([y.yearFor(11), y.yearFor(0)]).toEqual([2026, 2027]);
  });

  it('with --year, rolls over to the next year when December turns into January', () => {
    const y = new YearResolver({ kind: 'first', year: 2026 });
    expect([y.yearFor(11), y.yearFor(11), y.yearFor(0), y.yearFor(1)]).toEqual([2026, 2026, 2027, 2027]);
  });

  it('does not roll over for lines slightly out of order', () => {
    const y = new YearResolver({ kind: 'first', year: 2026 });
    expect([y.yearFor(4), y.yearFor(3), y.yearFor(4)]).toEqual([2026, 2026, 2026]);
  });
});

describe('RFC 3339 lines (Ubuntu 24.04)', () => {
  it('keeps fractional seconds and honours the offset', () => {
    const l = ok(parser().parse(raw('2026-11-05T03:39:17.123456+01:00 web-01 sshd-session[77]: Accepted publickey for a from 192.0.2.1 port 1 ssh2')));
    expect(new Date(l.ts).toISOString()).toBe('2026-11-05T02:39:17.123Z');
    expect(l.program).toBe('sshd-session');
  });

  it('reads Z and zone-less times (in the configured zone)', () => {
    expect(new Date(ok(parser().parse(raw('2026-11-05T03:39:17Z h su[1]: x'))).ts).toISOString()).toBe('2026-11-05T03:39:17.000Z');
    const l = ok(parser(2026, 'America/New_York').parse(raw('2019-06-14T10:40:20.912134 localhost sudo: x')));
    expect(new Date(l.ts).toISOString()).toBe('2019-06-14T14:40:20.912Z');
  });
});

describe('journalctl -o json lines', () => {
  const entry = (o: Record<string, unknown>): string => JSON.stringify({
    __CURSOR: 's=abc;i=1', __REALTIME_TIMESTAMP: '1762313957123456', _HOSTNAME: 'web-01',
    SYSLOG_IDENTIFIER: 'sshd', _PID: '42', MESSAGE: 'Accepted publickey for a from 192.0.2.1 port 1 ssh2', ...o,
  });

  it('reads host, program, pid, time and cursor', () => {
    const r = raw(entry({}));
    const l = ok(parser().parse(r));
    expect([l.host, l.program, l.pid, new Date(l.ts).toISOString()]).toEqual(['web-01', 'sshd', 42, '2025-11-05T03:39:17.123Z']);
    expect(r.cursor).toBe('s=abc;i=1');
  });

  it('decodes MESSAGE given as an array of bytes', () => {
    const bytes = [...Buffer.from('Invalid user \u00e9 from 192.0.2.9 port 2')];
    expect(ok(parser().parse(raw(entry({ MESSAGE: bytes })))).message).toBe('Invalid user \u00e9 from 192.0.2.9 port 2');
  });

  it('counts broken JSON and entries without a message', () => {
    expect(parser().parse(raw('{"MESSAGE": '))).toBe('bad-json');
    expect(parser().parse(raw(entry({ MESSAGE: null })))).toBe('no-message');
  });
});

describe('ZoneClock', () => {
  it('resolves the hour that does not exist at a DST change without crashing', () => {
    const z = new ZoneClock('Europe/Berlin');
    expect(Number.isFinite(z.toEpoch(2026, 2, 29, 2, 30, 0))).toBe(true);
  });

  it('applies --host to every line', () => {
    expect(ok(parser(2026, 'UTC', 'renamed').parse(raw('Nov  5 03:39:17 web-01 sshd[1]: x'))).host).toBe('renamed');
  });
});
