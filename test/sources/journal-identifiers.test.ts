// The journal path names programs like the text path: polkit 0.105 (Ubuntu 20.04/22.04) logs as
// `polkitd(authority=local)` and GDM's PAM worker as `gdm-password]`. Real journal files, the real
// journalctl, the identifier list the agent builds from the rules, the parser and the matcher.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRules } from '../../agent/match/load-rules.js';
import { Matcher } from '../../agent/match/match.js';
import { journalIdentifiers } from '../../agent/parse/identifiers.js';
import { Parser } from '../../agent/parse/parse.js';
import { JournaldSource } from '../../agent/sources/journald-source.js';
import { appendJournal } from '../helpers/journal.js';
import { waitFor } from '../helpers/wait.js';

const T0 = 1_762_313_957_000_000;
let sources: JournaldSource[] = [];
afterEach(async () => {
  await Promise.all(sources.map((s) => s.stop()));
  sources = [];
});

describe('journal identifiers', () => {
  const rules = loadRules();
  const identifiers = journalIdentifiers(rules.rules.flatMap((r) => r.spec.programs));

  it('asks journalctl for the identifiers that parse to a rule\'s program', () => {
    expect(identifiers).toContain('polkitd(authority=local)');
    expect(identifiers).toContain('gdm-password]');
    expect(journalIdentifiers(['sudo'])).toEqual(['sudo']);
  });

  it('reads, names and matches polkit 0.105 and GDM entries from a real journal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentra-journal-ids-'));
    appendJournal(dir, [
      // LOG_DAEMON (3): only the identifier match lets this entry through.
      { realtimeUs: T0, identifier: 'polkitd(authority=local)', facility: 3, pid: 900,
        message: 'Operator of unix-session:1 FAILED to authenticate to gain authorization for action org.freedesktop.policykit.exec for unix-process:1234:5678 [bash] (owned by unix-user:bob)' },
      { realtimeUs: T0 + 1_000_000, identifier: 'gdm-password]', facility: 3, pid: 901,
        message: 'pam_unix(gdm-password:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=alice' },
      { realtimeUs: T0 + 2_000_000, identifier: 'unrelated', facility: 3, message: 'not for us' },
    ]);
    const texts: string[] = [];
    const src = new JournaldSource(undefined, { journalctl: 'journalctl', directory: dir, identifiers, facilities: [4, 10],
      maxLineBytes: 65_536, initialBackfillHours: 24 * 365 * 30, maxCatchupHours: 24 * 365 * 30 });
    sources.push(src);
    await src.start(async (batch) => { for (const l of batch) texts.push(l.text); });
    await waitFor(() => texts.length === 2, 'the polkit and GDM entries');
    const parser = new Parser({ years: { kind: 'now' }, timeZone: 'UTC' });
    const matcher = new Matcher(rules.rules);
    const events = texts.map((text, i) => {
      const line = parser.parse({ text, file: 'journal', lineNo: i + 1 });
      if (typeof line === 'string') throw new Error(line);
      return { program: line.program, rule: matcher.match(line)?.rule.id };
    });
    expect(events).toEqual([
      { program: 'polkitd', rule: 'polkitd-auth-failed' },
      { program: 'gdm-password', rule: expect.stringMatching(/^pam-/) as unknown as string },
    ]);
  });
});
