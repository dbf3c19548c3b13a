// Email against a real SMTP server on loopback (smtp-server), parsed back with mailparser.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import { LocalStore } from '../../agent/store/local-store.js';
import { sendWeekly } from '../../reports/email.js';
import { parseWeek } from '../../reports/period.js';
import { buildWeekly } from '../../reports/weekly/weekly.js';
import { scenarioStore } from '../helpers/store.js';

const received: Array<{ raw: string; user?: string }> = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    secure: false, disabledCommands: ['STARTTLS'], authOptional: true, logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'sentra' && auth.password === 's3cret') cb(null, { user: auth.username });
      else cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => { raw += d.toString(); });
      stream.on('end', () => { received.push({ raw, user: session.user as string | undefined }); cb(); });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('weekly email', () => {
  it('arrives with a clear subject and both parts, matching the store, and only once a week', async () => {
    const { dir, config: base } = await scenarioStore();
    const creds = join(dir, 'smtp.credentials');
    writeFileSync(creds, 'user: sentra\npass: s3cret\n');
    chmodSync(creds, 0o600);
    const config = makeConfig({ state_dir: base.state_dir, overrides: base.overrides,
      email: { enabled: true, host: '127.0.0.1', port, security: 'none', credentials_file: creds, from: 'sentra@web-01', to: ['ops@example.test'] } });
    const store = new LocalStore(config.state_dir, config.store);
    const facts = buildWeekly({ store, stateDir: config.state_dir, period: parseWeek('2026-W45') });
    const first = await sendWeekly(config, facts);
    expect(first.skipped).toBe(false);
    expect(received).toHaveLength(1);
    expect(received[0]!.user).toBe('sentra');
    const mail = await simpleParser(received[0]!.raw);
    expect(mail.subject).toBe('[Sentra] web-01, week 2026-W45: no action required');
    expect(mail.text).toContain(facts.narrative.opening);
    expect(mail.html).toContain('Activity by intent');
    expect(mail.text).toContain(`${facts.noise.attempts} attempts from ${facts.noise.addresses} addresses`);
    expect(mail.headers.get('x-sentra-week')).toBe('2026-W45');
    const again = await sendWeekly(config, facts);
    expect(again.skipped).toBe(true);
    expect(received).toHaveLength(1);
  });

  it('refuses a credentials file everyone can read', async () => {
    const { dir, config: base } = await scenarioStore();
    const creds = join(dir, 'smtp.credentials');
    writeFileSync(creds, 'user: sentra\npass: s3cret\n');
    chmodSync(creds, 0o644);
    const config = makeConfig({ state_dir: base.state_dir, email: { enabled: true, host: '127.0.0.1', port, security: 'none', credentials_file: creds, to: ['ops@example.test'] } });
    const facts = buildWeekly({ store: new LocalStore(config.state_dir, config.store), stateDir: config.state_dir, period: parseWeek('2026-W45') });
    await expect(sendWeekly(config, facts)).rejects.toThrow(/SMTP credentials file \(email.credentials_file\) is open to everyone \(mode 644\)/);
  });
});
