// Optional AI wording against a local OpenAI-compatible server: faithful text is used; text with an
// invented number or name, an error, or a timeout falls back to the deterministic wording, and the
// report says which was used. Nothing identifying leaves the host when masking is on.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import { LocalStore } from '../../agent/store/local-store.js';
import { parseWeek } from '../../reports/period.js';
import { unfaithful } from '../../reports/weekly/ai.js';
import { buildWeekly, withWording } from '../../reports/weekly/weekly.js';
import { loopback, type Loopback } from '../helpers/http.js';
import { scenarioStore } from '../helpers/store.js';

let reply: (facts: string) => { status: number; body?: unknown; delayMs?: number } = () => ({ status: 500 });
const requests: string[] = [];
let server: Loopback;
let url = '';

beforeAll(async () => {
  server = await loopback((_req, body, res) => {
    requests.push(body);
    const user = (JSON.parse(body) as { messages: Array<{ role: string; content: string }> }).messages.find((m) => m.role === 'user')!.content;
    const r = reply(user);
    setTimeout(() => {
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r.body ?? { error: { message: 'server error' } }));
    }, r.delayMs ?? 0);
  });
  url = `${server.url}/v1`;
});
afterAll(() => server.close());

const completion = (content: object) => ({ id: 'x', object: 'chat.completion', created: 0, model: 'local',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(content) } }] });

async function setup() {
  const { dir, config: base } = await scenarioStore();
  const key = join(dir, 'ai.key');
  writeFileSync(key, 'test-key\n', { mode: 0o600 });
  const config = makeConfig({ state_dir: base.state_dir, ai: { enabled: true, base_url: url, model: 'local-model', api_key_file: key, timeout_ms: 1500 } });
  const facts = buildWeekly({ store: new LocalStore(config.state_dir, config.store), stateDir: config.state_dir, period: parseWeek('2026-W11') });
  return { config, facts };
}

describe('AI wording', () => {
  it('uses faithful text, says so, and sends masked facts only', async () => {
    const { config, facts } = await setup();
    reply = (user) => {
      const f = JSON.parse(user) as { totals: { action_required: number; signals: number }; hosts: string[] };
      // A model that refers to an account the way it was shown one: by placeholder.
      const someone = /user-\d+/.exec(user)![0];
      return { status: 200, body: completion({ opening: `This week ${f.hosts[0]} had ${f.totals.action_required} items that need action out of ${f.totals.signals} signals.`, watch: [`Keep an eye on ${someone}.`] }) };
    };
    const out = await withWording(config, facts);
    expect(out.narrative.note).toContain('local-model');
    expect(out.narrative.wording).toBe('ai');
    expect(out.narrative.note).toContain('local-model');
    expect(out.narrative.opening).toContain(`${facts.totals.action_required} items`);
    expect(out.handover.watch[0]).not.toMatch(/user-\d/);
    expect(facts.identities.users.some((u) => out.handover.watch[0]!.includes(u))).toBe(true);
    const sent = requests.at(-1)!;
    expect(sent).not.toContain('alice');
    expect(sent).not.toContain('203.0.113.50');
    expect(sent).not.toMatch(/sshd\[\d+\]/);
  });

  it('falls back when the text invents a number or a host', async () => {
    const { config, facts } = await setup();
    reply = () => ({ status: 200, body: completion({ opening: 'This week 9,999 logins failed on web-99; action is required.', watch: [] }) });
    const out = await withWording(config, facts);
    expect(out.narrative.wording).toBe('deterministic');
    expect(out.narrative.opening).toBe(facts.narrative.opening);
    expect(out.narrative.note).toMatch(/number 9,999|name web-99/);
  });

  it('falls back on a server error and on a timeout', async () => {
    const { config, facts } = await setup();
    reply = () => ({ status: 500 });
    expect((await withWording(config, facts)).narrative.note).toContain('could not be reached');
    reply = () => ({ status: 200, delayMs: 4000, body: completion({ opening: 'late', watch: [] }) });
    const out = await withWording(config, facts);
    expect(out.narrative.wording).toBe('deterministic');
    expect(out.narrative.note).toContain('could not be reached');
  }, 15_000);

  it('finds invented facts in text', () => {
    const facts = JSON.stringify({ hosts: ['web-01'], n: 435, id: 'a1b2c3d4e5f6', ip: '203.0.113.50' });
    expect(unfaithful('web-01 saw 435 attempts (a1b2c3d4e5f6) from 203.0.113.50.', facts)).toEqual([]);
    expect(unfaithful('web-02 saw 436 attempts (ffffffffffff) from 198.51.100.1.', facts).sort())
      .toEqual(['address 198.51.100.1', 'id ffffffffffff', 'name web-02', 'number 436']);
  });
});
