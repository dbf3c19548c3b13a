// Priority notifications against an HTTP receiver on loopback that checks the body and the signature,
// counts deliveries, and fails on purpose to exercise retries.
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import type { Signal } from '../../agent/model.js';
import { Notifier } from '../../agent/sinks/notify/notifier.js';
import { backoffMs, MAX_BACKOFF_MS } from '../../agent/sinks/notify/outbox.js';
import { redact } from '../../agent/redact.js';
import { tempDir } from '../helpers/agent.js';
import { loopback, type Loopback } from '../helpers/http.js';
import { signal } from '../helpers/signals.js';

interface Got { path: string; body: string; headers: Record<string, string | string[] | undefined> }
const got: Got[] = [];
let failNext = 0;
const failPaths = new Set<string>();
let server: Loopback;
let base = '';

beforeAll(async () => {
  server = await loopback((req, body, res) => {
    if (failPaths.has(req.url ?? '')) {
      res.writeHead(503).end();
      return;
    }
    if (failNext > 0) {
      failNext--;
      res.writeHead(503).end();
      return;
    }
    got.push({ path: req.url ?? '', body, headers: req.headers });
    res.writeHead(200).end('ok');
  });
  base = server.url;
});
afterAll(() => server.close());
beforeEach(() => { got.length = 0; failNext = 0; failPaths.clear(); });

const NOW = Date.parse('2026-11-21T10:00:00Z');
const fresh = (over: Partial<Signal>): Signal => signal({ band: 'high', risk: 0.8, action_required: true, kind: 'ssh-success-after-failures',
  first_seen: '2026-11-21T09:50:00.000Z', last_seen: '2026-11-21T09:55:00.000Z', entities: { user: 'alice', src_ip: '203.0.113.50' }, ...over });

function notifier(over: Record<string, unknown> = {}) {
  const dir = tempDir('sentra-notify-');
  const slack = join(dir, 'slack.url');
  writeFileSync(slack, `${base}/slack\n`, { mode: 0o600 });
  const secret = join(dir, 'hook.secret');
  writeFileSync(secret, 'hunter2\n', { mode: 0o600 });
  const cfg = makeConfig({ notify: { enabled: true, slack_webhook_url_file: slack, webhook_url: `${base}/hook`, webhook_secret_file: secret,
    retry_base_ms: 20, ...over } }).notify;
  return { dir, cfg, n: new Notifier(cfg, dir, () => undefined) };
}

describe('notifications', () => {
  it('sends a high signal to Slack (Block Kit) and the webhook (signed JSON), once', async () => {
    const { n } = notifier();
    const s = fresh({ id: 'aaaaaaaaaaa1' });
    n.consider([s], NOW);
    n.consider([{ ...s, count: 9 }], NOW + 60_000); // it grew, same band: not again
    await n.idle();
    expect(got.map((g) => g.path).sort()).toEqual(['/hook', '/slack']);
    const slack = JSON.parse(got.find((g) => g.path === '/slack')!.body) as { blocks: Array<{ type: string }>; text: string };
    expect(slack.blocks[0]!.type).toBe('header');
    expect(slack.text).toContain('high');
    const hook = got.find((g) => g.path === '/hook')!;
    const ts = String(hook.headers['x-sentra-timestamp']);
    const expected = `sha256=${createHmac('sha256', 'hunter2').update(`${ts}.${hook.body}`).digest('hex')}`;
    expect(hook.headers['x-sentra-signature']).toBe(expected);
    expect(JSON.parse(hook.body)).toMatchObject({ version: 1, type: 'signal', signals: [{ id: 'aaaaaaaaaaa1', band: 'high', action_required: true }] });
  });

  it('sends again only when the band rises; never for suppressed, low or old signals', async () => {
    const { n } = notifier({ min_band: 'high' });
    const s = fresh({ id: 'aaaaaaaaaaa2', band: 'medium', risk: 0.5, action_required: true });
    expect(n.consider([s], NOW).send).toHaveLength(1);
    expect(n.consider([{ ...s, band: 'high', risk: 0.8 }], NOW).send).toHaveLength(1);
    expect(n.consider([fresh({ id: 'aaaaaaaaaaa3', suppressed: true, kind: 'k1' })], NOW).send).toHaveLength(0);
    expect(n.consider([fresh({ id: 'aaaaaaaaaaa4', band: 'low', risk: 0.2, action_required: false, kind: 'k2' })], NOW).send).toHaveLength(0);
    const old = fresh({ id: 'aaaaaaaaaaa5', kind: 'k3', first_seen: '2026-11-14T09:00:00.000Z', last_seen: '2026-11-14T09:05:00.000Z' });
    expect(n.consider([old], NOW).send).toHaveLength(0);
    await n.idle();
    expect(got.filter((g) => g.path === '/hook').map((g) => (JSON.parse(g.body) as { signals: Array<{ band: string }> }).signals[0]!.band)).toEqual(['medium', 'high']);
  });

  it('holds back a second signal for the same kind and entity within the cooldown', async () => {
    const { n } = notifier();
    expect(n.consider([fresh({ id: 'aaaaaaaaaab1' })], NOW).send).toHaveLength(1);
    expect(n.consider([fresh({ id: 'aaaaaaaaaab2' })], NOW + 5 * 60_000).send).toHaveLength(0);
    await n.idle();
    expect(n.deliveries().filter((d) => d.outcome === 'skipped')).toHaveLength(1);
  });

  it('batches what exceeds the rate limit into one digest', async () => {
    const { n } = notifier({ max_per_minute: 2 });
    const many = Array.from({ length: 6 }, (_, i) => fresh({ id: `aaaaaaaaac0${i}`, entities: { user: `u${i}` }, risk: 0.9 - i / 100 }));
    const r = n.consider(many, NOW);
    expect([r.send.length, r.digest.length]).toEqual([2, 4]);
    await n.idle();
    const hooks = got.filter((g) => g.path === '/hook').map((g) => JSON.parse(g.body) as { type: string; signals: unknown[] });
    expect(hooks.map((h) => `${h.type}:${h.signals.length}`)).toEqual(['signal:1', 'signal:1', 'digest:4']);
  });

  it('retries failed deliveries with back-off and records every outcome', async () => {
    const { n } = notifier({ retries: 3 });
    failNext = 2;
    n.consider([fresh({ id: 'aaaaaaaaaad1' })], NOW);
    await n.idle();
    expect(got).toHaveLength(2);
    const d = n.deliveries().filter((x) => x.outcome === 'delivered');
    // Slack and the webhook retry on their own: two failures between them, then one delivery each.
    expect(d.reduce((k, x) => k + x.attempts, 0)).toBe(4);
    failNext = 100;
    n.consider([fresh({ id: 'aaaaaaaaaad2', kind: 'other' })], NOW);
    await n.idle();
    expect(n.deliveries().filter((x) => x.outcome === 'failed' && x.signal_ids[0] === 'aaaaaaaaaad2')).toHaveLength(2);
  });

  it('remembers what it sent across restarts', async () => {
    const { n, cfg, dir } = notifier();
    n.consider([fresh({ id: 'aaaaaaaaaae1' })], NOW);
    await n.idle();
    const again = new Notifier(cfg, dir, () => undefined);
    expect(again.consider([fresh({ id: 'aaaaaaaaaae1' })], NOW).send).toHaveLength(0);
  });

  it('refuses a missing, empty or world-readable webhook secret with a clear error, never a stack trace', () => {
    const { dir } = notifier();
    const cfg = (file: string) => makeConfig({ notify: { enabled: true, webhook_url: `${base}/hook`, webhook_secret_file: file } }).notify;
    expect(() => new Notifier(cfg(join(dir, 'missing.secret')), dir, () => undefined)).toThrow(/webhook secret file \(notify.webhook_secret_file\) does not exist/);
    writeFileSync(join(dir, 'empty.secret'), '\n', { mode: 0o600 });
    expect(() => new Notifier(cfg(join(dir, 'empty.secret')), dir, () => undefined)).toThrow(/is empty/);
    writeFileSync(join(dir, 'open.secret'), 'hunter2\n', { mode: 0o666 });
    chmodSync(join(dir, 'open.secret'), 0o666);
    expect(() => new Notifier(cfg(join(dir, 'open.secret')), dir, () => undefined)).toThrow(expect.objectContaining({ code: 'ERR_SECRET_FILE' }));
  });

  it('never writes a Slack URL (here without its scheme) to the log or the delivery record', async () => {
    const dir = tempDir('sentra-notify-');
    const slack = join(dir, 'slack.url');
    writeFileSync(slack, 'hooks.slack.example/services/T000/B000/XXXXsecretXXXX\n', { mode: 0o600 });
    const lines: string[] = [];
    const n = new Notifier(makeConfig({ notify: { enabled: true, slack_webhook_url_file: slack, retries: 0 } }).notify, dir,
      (level, msg, fields) => lines.push(redact(JSON.stringify({ level, msg, ...fields }))));
    n.consider([fresh({ id: 'aaaaaaaaaaf1' })], NOW);
    await n.idle();
    const recorded = readFileSync(join(dir, 'notifications.jsonl'), 'utf8');
    expect(recorded).toContain('"outcome":"failed"');
    expect(recorded + lines.join('\n')).not.toContain('XXXXsecretXXXX');
  });

  it('names a TLS failure, and trusts the receiver with notify.ca_file', async () => {
    const dir = tempDir('sentra-tls-');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '3650', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const seen: string[] = [];
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      seen.push(req.url ?? '');
      req.resume();
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    try {
      const untrusted = new Notifier(makeConfig({ notify: { enabled: true, webhook_url: url, retries: 0 } }).notify, dir, () => undefined);
      untrusted.consider([fresh({ id: 'aaaaaaaaaag1' })], NOW);
      await untrusted.idle();
      expect(untrusted.deliveries().at(-1)).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/TLS: the server certificate is self-signed and not trusted \(set ca_file\) \[DEPTH_ZERO_SELF_SIGNED_CERT\]/) });
      const dir2 = tempDir('sentra-tls-');
      const trusted = new Notifier(makeConfig({ notify: { enabled: true, webhook_url: url, retries: 0, ca_file: join(dir, 'cert.pem') } }).notify, dir2, () => undefined);
      trusted.consider([fresh({ id: 'aaaaaaaaaag2' })], NOW);
      await trusted.idle();
      expect(trusted.deliveries().at(-1)).toMatchObject({ outcome: 'delivered' });
      expect(seen).toEqual(['/hook']);
    } finally {
      server.close();
    }
  });

  it('keeps a destination that fails from delaying the other, and a stop from losing what is queued', async () => {
    const { n, cfg, dir } = notifier({ retries: 20, retry_base_ms: 50 });
    failPaths.add('/hook');
    n.consider([fresh({ id: 'aaaaaaaaaaf1' })], NOW);
    // Slack is delivered while the webhook keeps failing.
    for (let i = 0; i < 200 && !got.some((g) => g.path === '/slack'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(got.map((g) => g.path)).toEqual(['/slack']);
    expect(n.stats().find((s) => s.target === 'webhook')).toMatchObject({ pending: 1, delivered: 0, last_error: 'HTTP 503' });
    n.stop(); // SIGTERM mid-retry
    await n.idle();
    expect(n.deliveries().filter((d) => d.target === 'webhook')).toEqual([]); // neither sent nor given up: still queued

    failPaths.clear();
    const again = new Notifier(cfg, dir, () => undefined);
    await again.idle();
    const hooks = got.filter((g) => g.path === '/hook');
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(hooks[0]!.body).signals[0].id).toBe('aaaaaaaaaaf1');
    expect(again.deliveries().map((d) => [d.target, d.outcome])).toEqual([['slack', 'delivered'], ['webhook', 'delivered']]);
    expect(again.stats().map((s) => s.pending)).toEqual([0, 0]);
  });

  it('records a give-up, and never waits more than an hour between attempts', async () => {
    const { n } = notifier({ retries: 2, retry_base_ms: 5 });
    failPaths.add('/slack');
    n.consider([fresh({ id: 'aaaaaaaaaag1' })], NOW);
    await n.idle();
    expect(n.stats().find((s) => s.target === 'slack')).toMatchObject({ pending: 0, given_up: 1, last_error: 'HTTP 503' });
    expect(n.deliveries().find((d) => d.target === 'slack')).toMatchObject({ outcome: 'failed', attempts: 3 });
    expect([1, 2, 3, 13, 20].map((a) => backoffMs(1000, a))).toEqual([1000, 2000, 4000, 3_600_000, MAX_BACKOFF_MS]);
  });
});
