// Notifications tell an incident once, as one message, not one per signal; another message when it grows
// or its band rises. Against an HTTP receiver on loopback that checks the signature.
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import type { Incident, Signal } from '../../agent/model.js';
import { Notifier } from '../../agent/sinks/notify/notifier.js';
import { tempDir } from '../helpers/agent.js';
import { loopback, type Loopback } from '../helpers/http.js';
import { scanIncidents, scanSignals } from '../helpers/run.js';

interface Got { path: string; body: string; headers: Record<string, string | string[] | undefined> }
const got: Got[] = [];
let server: Loopback;
let signals: Signal[] = [];
let incident: Incident;

beforeAll(async () => {
  server = await loopback((req, body, res) => {
    got.push({ path: req.url ?? '', body, headers: req.headers });
    res.writeHead(200).end('ok');
  });
  const file = join(import.meta.dirname, '..', 'fixtures', 'incidents', 'one-chain', 'input.log');
  signals = await scanSignals([file], { year: '2026', timezone: 'UTC' });
  [incident] = await scanIncidents([file], { year: '2026', timezone: 'UTC' }) as [Incident];
});
afterAll(() => server.close());
beforeEach(() => { got.length = 0; });

const NOW = Date.parse('2026-11-10T03:40:00Z');

function notifier() {
  const dir = tempDir('sentra-notify-');
  const slack = join(dir, 'slack.url');
  writeFileSync(slack, `${server.url}/slack\n`, { mode: 0o600 });
  const secret = join(dir, 'hook.secret');
  writeFileSync(secret, 'hunter2\n', { mode: 0o600 });
  const cfg = makeConfig({ notify: { enabled: true, slack_webhook_url_file: slack, webhook_url: `${server.url}/hook`, webhook_secret_file: secret,
    retry_base_ms: 20 } }).notify;
  return new Notifier(cfg, dir, () => undefined);
}

describe('incident notifications', () => {
  it('sends one message for the incident and none for the signals in it', async () => {
    const n = notifier();
    const { send, digest } = n.consider(signals, NOW);
    expect([...send, ...digest].filter((s) => s.incident_id)).toEqual([]);
    expect(n.considerIncidents([incident], NOW).map((i) => i.id)).toEqual([incident.id]);
    await n.idle();
    const hook = got.filter((g) => g.path === '/hook').map((g) => JSON.parse(g.body) as { type: string; update: boolean; incident?: Incident });
    expect(hook.filter((h) => h.type === 'incident')).toHaveLength(1);
    expect(hook.find((h) => h.type === 'incident')!.incident!.signals).toHaveLength(9);
    const h = got.find((g) => g.path === '/hook' && g.body.includes('"type":"incident"'))!;
    const ts = String(h.headers['x-sentra-timestamp']);
    expect(h.headers['x-sentra-signature']).toBe(`sha256=${createHmac('sha256', 'hunter2').update(`${ts}.${h.body}`).digest('hex')}`);
    const slack = JSON.parse(got.find((g) => g.path === '/slack' && g.body.includes(incident.id))!.body) as { text: string };
    expect(slack.text).toContain('Likely intrusion on db-02');
  });

  it('sends again only when the incident grows or its band rises', async () => {
    const n = notifier();
    const small = { ...incident, signals: incident.signals.slice(0, 4), band: 'medium' as const };
    expect(n.considerIncidents([small], NOW)).toHaveLength(1);
    expect(n.considerIncidents([small], NOW + 60_000)).toHaveLength(0);
    expect(n.considerIncidents([{ ...small, band: 'high' }], NOW + 120_000)).toHaveLength(1);
    expect(n.considerIncidents([{ ...incident }], NOW + 180_000)).toHaveLength(1);
    expect(n.considerIncidents([{ ...incident }], NOW + 240_000)).toHaveLength(0);
    await n.idle();
    const bodies = got.filter((g) => g.path === '/hook').map((g) => JSON.parse(g.body) as { update: boolean });
    expect(bodies.map((b) => b.update)).toEqual([false, true, true]);
  });

  it('never sends a suppressed incident', async () => {
    const n = notifier();
    expect(n.considerIncidents([{ ...incident, suppressed: true, action_required: false }], NOW)).toEqual([]);
  });
});
