// Attacker-chosen text from log lines, escaped for where it goes: Slack mrkdwn gets no mention or disguised link,
// the terminal gets no control sequence, whatever a user name or command holds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slackText, terminal } from '../../agent/sinks/escape.js';
import { slackBody } from '../../agent/sinks/notify/messages.js';
import { tempDir } from '../helpers/agent.js';
import { sentra } from '../helpers/cli.js';
import { signal } from '../helpers/signals.js';

describe('escaping hostile text', () => {
  it('keeps Slack mentions and links in user names inert', () => {
    const s = signal({ band: 'high', title: 'Login as <!channel> succeeded from 203.0.113.50', host: 'web-01',
      explanation: 'The account <https://evil.example|Click here> & <@U123> logged in.', recommended_action: 'Lock <!here>.' });
    const body = slackBody('signal', [s]);
    // Everything Slack parses (the fallback text and every mrkdwn block); plain_text headers are shown as written.
    const parsed = JSON.parse(body) as { text: string; blocks: Array<{ type: string; text?: { type: string; text: string }; fields?: Array<{ text: string }>; elements?: Array<{ text: string }> }> };
    const mrkdwn = [parsed.text, ...parsed.blocks.flatMap((b) => [...(b.text?.type === 'mrkdwn' ? [b.text.text] : []),
      ...(b.fields ?? []).map((f) => f.text), ...(b.elements ?? []).map((e) => e.text)])].join('\n');
    for (const raw of ['<!channel>', '<https://evil.example|Click here>', '<@U123>', '<!here>', '<you>']) expect(mrkdwn).not.toContain(raw);
    expect(body).toContain('&lt;!channel&gt;');
    expect(body).toContain('&lt;https://evil.example|Click here&gt; &amp; &lt;@U123&gt;');
    expect(JSON.parse(slackBody('digest', [s])).blocks[1].text.text).toContain('&lt;!channel&gt;');
    expect(slackText('a&b<c>')).toBe('a&amp;b&lt;c&gt;');
  });

  it('shows control characters instead of obeying them', () => {
    expect(terminal('a\x1b[31mred\x07\tb\nc\u202ed\x9b')).toBe('a\\x1b[31mred\\x07\tb\nc\\u{202e}d\\x9b');
    const dir = tempDir('sentra-esc-');
    const log = join(dir, 'auth.log');
    const lines = Array.from({ length: 8 }, (_, i) => `2026-03-01T10:00:0${i}.000000+00:00 web-01 sudo[${100 + i}]:    alice : TTY=pts/0 ; PWD=/home/alice ; `
      + `USER=root ; COMMAND=/bin/echo \x1b]0;pwned\x07\x1b[2J`);
    writeFileSync(log, `${lines.join('\n')}\n`);
    for (const args of [['scan', '--timezone', 'UTC', log], ['scan', '--events', '--timezone', 'UTC', log]]) {
      const r = sentra(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    }
    expect(sentra(['scan', '--events', '--timezone', 'UTC', log]).stdout).toContain('\\u001b]0;pwned\\u0007');
  });
});
