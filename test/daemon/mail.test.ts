// The agent's scheduled weekly email against a real SMTP server on loopback that refuses the first
// delivery: the agent retries, delivers exactly once, records it, and does not send that week again.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastWeek } from '../../reports/period.js';
import { startAgent, tempDir, writeConfig } from '../helpers/agent.js';
import { waitFor } from '../helpers/wait.js';

const received: string[] = [];
let refused = 0;
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    secure: false, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => { raw += d.toString(); });
      stream.on('end', () => {
        if (refused === 0) {
          refused++;
          const err = new Error('try again later') as Error & { responseCode: number };
          err.responseCode = 451;
          cb(err);
          return;
        }
        received.push(raw);
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('weekly email from the agent', () => {
  it('retries a refused send, delivers once and records it', async () => {
    const dir = tempDir('sentra-mail-');
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const config = writeConfig(dir, {
      sources: { mode: 'files', files: { paths: [log], poll_ms: 200 } },
      email: { enabled: true, host: '127.0.0.1', port, security: 'none', from: 'sentra@web-01', to: ['ops@example.test'],
        schedule: '*/2 * * * * *', retry_seconds: 1 },
    });
    const agent = startAgent(config);
    try {
      await waitFor(() => received.length === 1, 'a delivered report', 20_000);
      await new Promise((r) => setTimeout(r, 5000)); // several more schedule ticks
      expect(received).toHaveLength(1);
      expect(refused).toBe(1);
      const mail = await simpleParser(received[0]!);
      expect(mail.subject).toContain(`week ${lastWeek().label}`);
      expect(agent.output()).toContain('not sent: ');
      const sent = readFileSync(join(dir, 'state', 'reports-sent.jsonl'), 'utf8').trim().split('\n');
      expect(sent).toHaveLength(1);
      expect(JSON.parse(sent[0]!)).toMatchObject({ week: lastWeek().label, to: ['ops@example.test'] });
    } finally {
      agent.child.kill('SIGTERM');
      expect(await agent.exited).toBe(0);
    }
  }, 40_000);
});
