// Words a customer reads: a switch to root is named as such (not "0 commands"), plurals come from Intl, and the
// generic explanation says "account root", not field names.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../agent/model.js';
import { tempDir } from '../helpers/agent.js';
import { sentra } from '../helpers/cli.js';

function scan(lines: string[]): Signal[] {
  const file = join(tempDir('sentra-words-'), 'auth.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const r = sentra(['scan', '--format', 'jsonl', '-q', file]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Signal);
}

describe('signal words', () => {
  it('names a switch to root, and writes the crontab line without field names', () => {
    const signals = scan([
      '2026-03-02T10:00:00.000000+00:00 web-01 su[4000]: (to root) alice on pts/0',
      '2026-03-02T10:00:00.000000+00:00 web-01 su[4000]: pam_unix(su-l:session): session opened for user root(uid=0) by alice(uid=1000)',
      '2026-03-02T10:05:00.000000+00:00 web-01 crontab[4100]: (root) REPLACE (root)',
    ]);
    const su = signals.find((s) => s.kind === 'privilege-use')!;
    expect(su.explanation).toBe('alice switched to root once.');
    const cron = signals.find((s) => s.kind === 'rule-match')!;
    expect(cron.explanation).toContain('(account root)');
    expect(cron.explanation).not.toMatch(/target_user|\buser root/);
  });

  it('agrees in number: one command, two commands, one request', () => {
    const sudo = (i: number, cmd: string) => `2026-03-02T11:0${i}:00.000000+00:00 web-01 sudo[${500 + i}]:    bob : TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=${cmd}`;
    const one = scan([sudo(1, '/usr/bin/id')]).find((s) => s.kind === 'privilege-use')!;
    expect(one.explanation).toMatch(/^bob ran 1 command as root\./);
    const two = scan([sudo(1, '/usr/bin/id'), sudo(2, '/usr/bin/whoami')]).find((s) => s.kind === 'privilege-use')!;
    expect(two.explanation).toMatch(/^bob ran 2 commands as root\./);
  });
});
