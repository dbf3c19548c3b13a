// The AI path over the local store: a local OpenAI-compatible server answers with a filter; a valid one runs
// (the same rows as the parser's filter), one with an unknown field, a bad time or a wrong type is refused.
// The model is only asked when the parser did not understand, and sees the filter fields and the question.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig, type Config } from '../../agent/config/load.js';
import { askQuestion } from '../../agent/query/ask.js';
import { parseQuestion } from '../../agent/query/parse.js';
import { askStore, storedSignals } from '../helpers/ask-store.js';
import { loopback, type Loopback } from '../helpers/http.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const KEY = 'sk-test-local-9a8b7c6d';
let model: Loopback;
let stateDir: string;
let config: Config;
const bodies: string[] = [];
const FEB = { since: '2026-02-01T00:00:00Z', until: '2026-03-01T00:00:00Z' };

const REPLIES: Record<string, unknown> = {
  zzgood: { filter: { subject: 'logins', ...FEB, limit: 50 } },
  zzbig: { filter: { subject: 'failures', ...FEB, limit: 100000 } },
  zzunknown: { filter: { subject: 'logins', ...FEB, limit: 10, sql: 'DROP TABLE signals' } },
  zzsubject: { filter: { subject: 'passwords', ...FEB, limit: 10 } },
  zztime: { filter: { subject: 'logins', since: 'last tuesday', until: FEB.until, limit: 10 } },
  zzbackwards: { filter: { subject: 'logins', since: FEB.until, until: FEB.since, limit: 10 } },
  zzhost: { filter: { subject: 'logins', ...FEB, limit: 10, host: "web-01' OR 1=1" } },
  zznothing: { answer: 'I cannot help' },
};

beforeAll(async () => {
  process.env.SENTRA_AI_API_KEY = KEY;
  ({ stateDir } = await askStore());
  model = await loopback((_req, body, res) => {
    bodies.push(body);
    const question = String((JSON.parse(body) as { messages: Array<{ content: string }> }).messages.at(-1)?.content);
    const reply = Object.entries(REPLIES).find(([k]) => question.includes(k))?.[1] ?? {};
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'm',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(reply) } }] }));
  });
  config = makeConfig({ state_dir: stateDir, ai: { enabled: true, base_url: `${model.url}/v1`, model: 'test-model' } });
}, 120_000);
afterAll(async () => {
  delete process.env.SENTRA_AI_API_KEY;
  await model?.close();
});

const ask = (q: string) => askQuestion(q, { stateDir, config, now: NOW });

describe('sentra ask with AI over the local store', () => {
  it('uses the parser, not the model, for a question the parser understands', async () => {
    const before = bodies.length;
    const a = await ask('who logged in in February');
    expect(a.via).toBe('parser');
    expect(bodies.length).toBe(before);
  });

  it('runs a valid filter from the model, and it answers as the parser\'s filter does', async () => {
    const a = await ask('zzgood arrivals in the second month');
    expect(a).toMatchObject({ via: 'ai', source: 'local', understood: { kind: 'filter', filter: { subject: 'logins' } } });
    const parsed = await ask('who logged in in February');
    expect(a.results).toEqual(parsed.results);
    expect(a.results.length).toBeGreaterThan(20);
    const body = bodies.at(-1)!;
    expect(body).toContain('zzgood arrivals in the second month');
    expect(body).toContain('newOnly');
    expect(body).toContain('top-addresses');
    const lines = storedSignals(stateDir).flatMap((s) => s.evidence.map((e) => e.line));
    expect(lines.filter((l) => body.includes(l))).toEqual([]);
    expect(body).not.toContain(KEY);
  });

  it('caps a filter\'s limit at 1000', async () => {
    const a = await ask('zzbig');
    expect(a.understood).toMatchObject({ filter: { limit: 1000 } });
  });

  it.each([
    ['zzunknown', /unknown field "sql"/],
    ['zzsubject', /\/subject: must be one of/],
    ['zztime', /\/since: must match pattern/],
    ['zzbackwards', /ends before it begins/],
    ['zzhost', /\/host: must match pattern/],
    ['zznothing', /gave no filter/],
  ])('refuses the filter answering %s', async (word, why) => {
    const a = await ask(`${word} please`);
    expect(a).toMatchObject({ understood: null, results: [], via: 'ai', refused: { code: 'ERR_QUERY_REFUSED' } });
    expect(a.refused!.reason).toMatch(why);
  });

  it('says the parser did not understand when AI is off, and asks no model', async () => {
    const before = bodies.length;
    const off = makeConfig({ state_dir: stateDir });
    const a = await askQuestion('zzgood arrivals in the second month', { stateDir, config: off, now: NOW });
    expect(a).toMatchObject({ understood: null, via: 'parser' });
    expect(a.refused).toBeUndefined();
    expect(bodies.length).toBe(before);
    expect('problem' in parseQuestion('zzgood arrivals in the second month', NOW.getTime())).toBe(true);
  });
});
