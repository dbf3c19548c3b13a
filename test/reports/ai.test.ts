// Optional AI wording against a local OpenAI-compatible server. The model sees placeholders, never the facts'
// numbers, names, addresses or log lines; a faithful reply is filled from the facts and used. Replies that
// state a fact of their own (a digit, a number in words, an invented name, an unknown placeholder, their own
// stance on action) are refused, as are errors, and the report says why. Provider error text, which can quote
// the API key, never reaches the report.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import { LocalStore } from '../../agent/store/local-store.js';
import { parseWeek } from '../../reports/period.js';
import { render } from '../../reports/render.js';
import { Placeholders } from '../../reports/weekly/ai-placeholders.js';
import { actionStatement, maskedFacts, needingAction } from '../../reports/weekly/ai.js';
import { buildWeekly, withWording } from '../../reports/weekly/weekly.js';
import { loopback, type Loopback } from '../helpers/http.js';
import { scenarioStore } from '../helpers/store.js';

type Reply = { status: number; body?: unknown; raw?: string; delayMs?: number };
let reply: (given: string) => Reply = () => ({ status: 500 });
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
      res.end(r.raw ?? JSON.stringify(r.body ?? { error: { message: 'server error' } }));
    }, r.delayMs ?? 0);
  });
  url = `${server.url}/v1`;
});
afterAll(() => server.close());

const completion = (content: object | string) => ({ id: 'x', object: 'chat.completion', created: 0, model: 'local',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: typeof content === 'string' ? content : JSON.stringify(content) } }] });
const says = (opening: string, watch: string[] = []) => (): Reply => ({ status: 200, body: completion({ opening, watch }) });

async function setup() {
  const { dir, config: base } = await scenarioStore();
  const key = join(dir, 'ai.key');
  writeFileSync(key, 'sk-test-0123456789abcdef\n', { mode: 0o600 });
  const config = makeConfig({ state_dir: base.state_dir, ai: { enabled: true, base_url: url, model: 'local-model', api_key_file: key, timeout_ms: 1500 } });
  const facts = buildWeekly({ store: new LocalStore(config.state_dir, config.store), stateDir: config.state_dir, period: parseWeek('2026-W11') });
  return { config, facts };
}

describe('AI wording', () => {
  it('fills a faithful reply from the facts, and sends no number, name, address or log line', async () => {
    const { config, facts } = await setup();
    expect(needingAction(facts)).toBeGreaterThan(0);
    reply = (given) => {
      const account = /\{account_\d+\}/.exec(given)![0];
      return says(`During {period}, {host_1} recorded {signals_total} signals. {action_statement}`, [`Keep an eye on ${account}.`])();
    };
    const out = await withWording(config, facts);
    expect(out.narrative.note).toContain('local-model');
    expect(out.narrative.wording).toBe('ai');
    expect(out.narrative.opening).toBe(`During ${facts.period.label}, ${facts.hosts[0]} recorded ${facts.totals.signals} signals. `
      + `${actionStatement(needingAction(facts))}`);
    expect(facts.identities.users.some((u) => out.handover.watch[0] === `Keep an eye on ${u}.`)).toBe(true);
    const sent = (JSON.parse(requests.at(-1)!) as { messages: Array<{ content: string }> }).messages[1]!.content;
    expect(sent.replace(/\{[a-z0-9_]+\}/g, '')).not.toMatch(/\d/);
    for (const who of [...facts.identities.users, ...facts.identities.addresses, ...facts.hosts]) expect(sent).not.toContain(`"${who}`);
    expect(sent).not.toContain('203.0.113.50');
    expect(sent).not.toMatch(/sshd\[/);
  });

  it.each([
    ['its own stance on action', 'No action is required this week. Sentra recorded {signals_total} signals.', /stance on action|action_statement/],
    ['a wrong number', '{action_statement} That is 3 items in all.', /a digit/],
    ['a number in words', '{action_statement} Three items stand out.', /number in words \("Three"\)/],
    ['an invented name', '{action_statement} The login by mallory stands out.', /mallory/],
    ['a placeholder it was not given', '{action_statement} Watch {account_99}.', /\{account_99\}/],
    ['no action statement', 'Sentra recorded {signals_total} signals.', /action_statement\} missing/],
  ])('refuses %s and keeps its own text', async (_what, opening, why) => {
    const { config, facts } = await setup();
    reply = says(opening);
    const out = await withWording(config, facts);
    expect(out.narrative.wording).toBe('deterministic');
    expect(out.narrative.opening).toBe(facts.narrative.opening);
    expect(out.narrative.note).toMatch(why);
  });

  it('describes provider errors by status and class only: the key they quote never reaches the report', async () => {
    const { config, facts } = await setup();
    reply = () => ({ status: 401, body: { error: { message: 'Incorrect API key provided: sk-test-0123456789abcdef', type: 'invalid_request_error' } } });
    const out = await withWording(config, facts);
    expect(out.narrative.note).toContain('HTTP 401 (the API key was refused)');
    for (const format of ['html', 'text', 'md', 'json'] as const) expect(render('weekly', format, out)).not.toContain('0123456789abcdef');
    reply = () => ({ status: 200, raw: JSON.stringify(completion('not json at all')) });
    expect((await withWording(config, facts)).narrative.note).toContain('not JSON');
    reply = () => ({ status: 500 });
    expect((await withWording(config, facts)).narrative.note).toContain('HTTP 500 (a server error)');
    reply = () => ({ status: 200, delayMs: 4000, body: completion({ opening: 'late', watch: [] }) });
    const late = await withWording(config, facts);
    expect(late.narrative.wording).toBe('deterministic');
    expect(late.narrative.note).toContain('did not answer within 1.5 s');
  }, 30_000);
});

describe('placeholders', () => {
  it('replace whole values only: short account names never touch keys or other words', () => {
    const ph = new Placeholders({ accounts: ['user', 'es', 'admin'], hosts: ['web-01'], addresses: ['203.0.113.5'] });
    expect(ph.text('3 signals were suppressed for user es on web-01 from 203.0.113.50 and 203.0.113.5.'))
      .toBe('{number_1} signals were suppressed for {account_1} {account_2} on {host_1} from {address_2} and {address_1}.');
    expect(ph.fill('{account_2} on {host_1}')).toBe('es on web-01');
  });

  it('leave the structure of the facts alone', async () => {
    const { facts } = await setup();
    const { facts: masked } = maskedFacts({ ...facts, identities: { users: ['es', 'user', 'action'], addresses: facts.identities.addresses } });
    const text = JSON.stringify(masked);
    expect(text).toContain('"suppressed":"{suppressed_count}"');
    expect(Object.keys(masked)).toContain('needs_action');
  });

  it('state the action in Sentra\'s own words, with the right plural', () => {
    expect([0, 1, 2, 1234].map(actionStatement)).toEqual(['No action is required this week.', '1 item needs action.', '2 items need action.', '1,234 items need action.']);
  });
});
