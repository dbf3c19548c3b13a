// sentra ask over ClickHouse (real clickhouse-server on loopback, started once for this file): signals and
// incidents sent by the real sink, for this tenant and another; the parser's SQL answers as the local store
// does; a model's SQL (from a local OpenAI-compatible server) is checked, run read-only, or refused; and
// the server itself refuses a write under readonly=1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig, type Config } from '../../agent/config/load.js';
import type { Signal } from '../../agent/model.js';
import { askQuestion } from '../../agent/query/ask.js';
import { runClickHouse } from '../../agent/query/run-clickhouse.js';
import { QueryRefused } from '../../agent/query/sql-guard.js';
import { ClickHouseSink } from '../../agent/sinks/clickhouse/sink.js';
import { tempDir } from '../helpers/agent.js';
import { askStore, storedIncidents, storedSignals } from '../helpers/ask-store.js';
import { startClickHouse, type TestClickHouse } from '../helpers/clickhouse.js';
import { loopback, type Loopback } from '../helpers/http.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const KEY = 'sk-test-ask-4f1c9e7d2b';
let ch: TestClickHouse;
let model: Loopback;
let stateDir: string;
let signals: Signal[];
let local: Config;
let remote: Config;
const bodies: string[] = [];

// What the model answers, by a word in the question.
const REPLIES: Record<string, string | { status: number; body: string }> = {
  zzvalid: 'SELECT host, count() AS n FROM signals_latest GROUP BY host ORDER BY host',
  zzinvalid: 'SELECT host FROM signals_latest WHERE',
  zzgarbage: 'SELEC host FRM signals_latest',
  zzdrop: 'DROP TABLE ask.signals',
  zzinsert: "INSERT INTO ask.signals (id) VALUES ('x')",
  zzfile: "SELECT * FROM file('/etc/passwd', 'TSV', 'line String')",
  zzurl: "SELECT * FROM url('http://127.0.0.1:9/x', 'CSV', 'a String')",
  zzsecond: 'SELECT id FROM signals_latest LIMIT 1; DROP TABLE ask.signals',
  zzcomment: 'SELECT id FROM signals_latest /* ; DROP TABLE ask.signals */ LIMIT 1',
  zzsystem: 'SELECT id FROM system.users',
  zzhuge: 'SELECT id FROM signals_latest ORDER BY id LIMIT 100000',
  zzkey: { status: 401, body: `{"error":{"message":"Incorrect API key provided: ${KEY}"}}` },
};

beforeAll(async () => {
  process.env.SENTRA_AI_API_KEY = KEY;
  [ch, { stateDir }] = await Promise.all([startClickHouse(), askStore()]);
  signals = storedSignals(stateDir);
  for (const tenant of ['acme', 'other']) {
    const cfg = makeConfig({ clickhouse: { enabled: true, url: ch.url, database: 'ask', tenant } });
    const sink = new ClickHouseSink(cfg.clickhouse, tempDir('sentra-ask-ship-'), 400, () => undefined);
    sink.enqueue(tenant === 'acme' ? signals : signals.slice(0, 10));
    sink.enqueueIncidents(storedIncidents(stateDir));
    expect(await sink.drain()).toBe(true);
    await sink.stop();
  }
  model = await loopback((req, body, res) => {
    bodies.push(body);
    const question = String((JSON.parse(body) as { messages: Array<{ content: string }> }).messages.at(-1)?.content);
    const reply = Object.entries(REPLIES).find(([k]) => question.includes(k))?.[1] ?? '';
    if (typeof reply === 'object') { res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body); return; }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'm',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify({ sql: reply }) } }] }));
  });
  const ai = { enabled: true, base_url: `${model.url}/v1`, model: 'test-model' };
  local = makeConfig({ state_dir: stateDir });
  remote = makeConfig({ state_dir: stateDir, clickhouse: { enabled: true, url: ch.url, database: 'ask', tenant: 'acme' }, ai });
}, 180_000);
afterAll(async () => {
  delete process.env.SENTRA_AI_API_KEY;
  await Promise.all([ch?.stop(), model?.close()]);
});

const ask = (q: string, config: Config) => askQuestion(q, { stateDir, config, now: NOW });

describe('sentra ask over ClickHouse', () => {
  it.each([
    'who logged in in February', 'which accounts logged in from new addresses in February', 'top 200 logins outside business hours in February',
    'top 500 sudo use since 2026-02-01', 'top 500 su use since 2026-02-01', 'top 500 failed logins in February', 'account changes since 2026-02-01',
    'incidents since 2026-02-01', 'top 10 addresses in February', 'high-risk signals since 2026-02-01', 'what happened on web-01 in November',
    'logins by deploy since 2026-02-01', 'incidents on ci-app-1 in February',
  ])('answers "%s" with the rows the local store gives', async (q) => {
    const [a, b] = await Promise.all([ask(q, local), ask(q, remote)]);
    expect(b).toMatchObject({ source: 'clickhouse', via: 'parser', understood: { kind: 'sql' } });
    expect(b.understood!.kind === 'sql' && b.understood.sql).toMatch(/\{tenant:String\}/);
    expect(b.results).toEqual(a.results);
  });

  it('has rows to compare: the questions above are not all empty', async () => {
    expect((await ask('who logged in in February', remote)).results.length).toBeGreaterThan(20);
    expect((await ask('incidents since 2026-02-01', remote)).results.length).toBeGreaterThan(2);
    for (const q of ['top 500 sudo use since 2026-02-01', 'top 10 addresses in February', 'what happened on web-01 in November',
      'which accounts logged in from new addresses in February', 'account changes since 2026-02-01']) {
      expect((await ask(q, remote)).results.length, q).toBeGreaterThan(0);
    }
  });

  it('runs a model\'s valid SELECT read-only on this tenant\'s rows, with a LIMIT added, and shows it first', async () => {
    const a = await ask('zzvalid how busy was each host', remote);
    expect(a).toMatchObject({ via: 'ai', source: 'clickhouse', understood: { kind: 'sql' } });
    expect(a.refused).toBeUndefined();
    const sql = a.understood!.kind === 'sql' ? a.understood.sql : '';
    expect(sql).toMatch(/WHERE tenant = 'acme'\) AS signals_latest .* LIMIT 1000$/);
    const perHost = new Map<string, number>();
    for (const s of signals) perHost.set(s.host, (perHost.get(s.host) ?? 0) + 1);
    expect(a.results.map((r) => [r.host, Number(r.n)])).toEqual([...perHost].sort((x, y) => (x[0] < y[0] ? -1 : 1)));
    const body = bodies.at(-1)!;
    expect(body).toContain('zzvalid how busy was each host');
    expect(body).toContain('ask.signals_latest');
    expect(body).toContain('addr_outcomes');
    // The model sees the schema and the question: no evidence line, no stored name or address.
    const lines = signals.flatMap((s) => s.evidence.map((e) => e.line));
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.filter((l) => body.includes(l))).toEqual([]);
    for (const s of signals.slice(0, 30)) expect(body).not.toContain(s.id);
  });

  it('caps a huge LIMIT', async () => {
    const a = await ask('zzhuge every id', remote);
    expect(a.understood!.kind === 'sql' && a.understood.sql).toMatch(/LIMIT 1000$/);
    expect(a.results).toHaveLength(Math.min(1000, signals.length));
  });

  it.each([
    ['zzinvalid', /ClickHouse could not run the query/],
    ['zzgarbage', /not a SELECT/],
    ['zzdrop', /not a SELECT/],
    ['zzinsert', /not a SELECT/],
    ['zzfile', /function file\(\)/],
    ['zzurl', /function url\(\)/],
    ['zzsecond', /more than one statement/],
    ['zzcomment', /comment/],
    ['zzsystem', /SYSTEM is not allowed/],
    ['zzkey', /HTTP 401 \(the API key was refused\)/],
  ])('refuses the model\'s answer to %s with a code and a plain reason', async (word, why) => {
    const a = await ask(`${word} please`, remote);
    expect(a).toMatchObject({ understood: null, results: [], via: 'ai', refused: { code: 'ERR_QUERY_REFUSED' } });
    expect(a.refused!.reason).toMatch(why);
    expect(JSON.stringify(a)).not.toContain(KEY);
  });

  it('still has every table after the refused writes', async () => {
    expect((await ask('zzvalid count again', remote)).results.length).toBeGreaterThan(2);
  });

  it('is refused by ClickHouse itself when a write gets past Sentra (readonly=1, defence in depth)', async () => {
    for (const sql of ['DROP TABLE ask.signals', "INSERT INTO ask.heartbeats (tenant, host) VALUES ('acme', 'x')",
      "SELECT * FROM file('/etc/passwd', 'TSV', 'line String')", 'CREATE TABLE ask.t (a UInt8) ENGINE = Memory']) {
      await expect(runClickHouse(remote, sql, {})).rejects.toThrow(QueryRefused);
      await expect(runClickHouse(remote, sql, {})).rejects.toThrow(/read-only mode/);
    }
    const [row] = await runClickHouse(remote, 'SELECT count() AS n FROM ask.signals', {});
    expect(Number(row!.n)).toBeGreaterThan(signals.length - 1);
  });
});
