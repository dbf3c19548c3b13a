// `sentra ask` as a user runs it (the built CLI): "Understood: …" before the answer, a table for people and
// json for scripts with `understood` and `results`, exit codes 0 / 1 / 2, and hostile names from log lines
// shown inert on the terminal.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import { askQuestion, type Answer } from '../../agent/query/ask.js';
import { LocalStore } from '../../agent/store/local-store.js';
import { tempDir } from '../helpers/agent.js';
import { askStore } from '../helpers/ask-store.js';
import { BIN, ROOT, sentra } from '../helpers/cli.js';
import { childEnv } from '../helpers/pin-clock.js';
import { loopback } from '../helpers/http.js';
import { signal } from '../helpers/signals.js';

const AT = { SENTRA_NOW: '2026-11-30T12:00:00Z' };
let stateDir: string;

beforeAll(async () => {
  ({ stateDir } = await askStore());
}, 120_000);

describe('sentra ask', () => {
  it('says how it understood the question, then answers with a table (exit 0)', () => {
    const r = sentra(['ask', '--state-dir', stateDir, 'who', 'logged', 'in', 'in', 'February?'], undefined, AT);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Understood: Successful logins, in february (2026-02-01 to 2026-02-28); at most 50 rows.');
    expect(lines[1]).toMatch(/^Filter \(local store\): \{"subject":"logins"/);
    expect(r.stdout).toMatch(/^first_seen +last_seen +host +kind/m);
    expect(r.stdout).toMatch(/^\d+ rows\.$/m);
  });

  it('prints understood and results as json, the same as askQuestion', async () => {
    const r = sentra(['ask', '--state-dir', stateDir, '--format', 'json', 'top 5 addresses in February'], undefined, AT);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as Answer;
    const want = await askQuestion('top 5 addresses in February', { stateDir, config: makeConfig({ state_dir: stateDir }), now: new Date(AT.SENTRA_NOW) });
    expect(got.understood).toEqual(want.understood);
    expect(got.results).toEqual(want.results);
    expect(got.results).toHaveLength(5);
  });

  it('answers 0 rows with exit 0', () => {
    const r = sentra(['ask', '--state-dir', stateDir, 'logins by nobody-here yesterday'], undefined, AT);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No rows: nothing in the store matches.');
  });

  it('says plainly when it did not understand, with examples (exit 1)', () => {
    const r = sentra(['ask', '--state-dir', stateDir, 'what is the weather like'], undefined, AT);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Sentra did not understand the question: it does not name what it asks about/);
    expect(r.stdout).toContain('sentra ask "who logged in yesterday"');
    const j = sentra(['ask', '--state-dir', stateDir, '--format', 'json', 'what is the weather like'], undefined, AT);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ understood: null, results: [] });
  });

  it('exits 2 on a usage error, with --help giving examples and exit codes', () => {
    expect(sentra(['ask', '--state-dir', stateDir]).code).toBe(2);
    expect(sentra(['ask', '--state-dir', stateDir, '--format', 'xml', 'logins today']).code).toBe(2);
    const h = sentra(['ask', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('sentra ask "which accounts logged in from new addresses this month"');
    expect(h.stdout).toContain('Exit codes: 0 answered');
  });

  it('exits 2 with ERR_CLICKHOUSE when ClickHouse is configured but cannot be reached', () => {
    const cfg = join(tempDir('sentra-ask-ch-'), 'config.json');
    writeFileSync(cfg, JSON.stringify({ state_dir: stateDir, clickhouse: { enabled: true, url: 'http://127.0.0.1:9', database: 'ask' } }));
    const r = sentra(['ask', '--config', cfg, 'logins today'], undefined, AT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ClickHouse could not answer.*\[ERR_CLICKHOUSE\]/);
    expect(r.stdout).toBe('');
  });

  it('shows names from log lines inert: escape sequences written out, never sent to the terminal', () => {
    const dir = join(tempDir('sentra-ask-hostile-'), 'state');
    const evil = 'ev\u001b[2J\u001b]0;pwned\u0007il\u202e<script>';
    new LocalStore(dir, { retention_days: 400, max_mb: 100 }).upsert([signal({ kind: 'remote-login', intent: 'remote-access',
      title: `${evil} logged in`, entities: { user: evil, src_ips: ['203.0.113.9'] }, first_seen: '2026-11-07T00:30:00.000Z' })]);
    const r = sentra(['ask', '--state-dir', dir, 'logins on 2026-11-07'], undefined, AT);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ev\\x1b[2J\\x1b]0;pwned\\x07il\\u{202e}<script>');
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('shows a refusal of the model\'s answer with its code (exit 1), and never the API key', async () => {
    const key = 'sk-cli-test-0badc0ffee';
    const server = await loopback((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'm',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '{"filter":{"subject":"logins","since":"2026-02-01T00:00:00Z","until":"2026-03-01T00:00:00Z","limit":5,"where":"1=1"}}' } }] }));
    });
    try {
      const cfg = join(tempDir('sentra-ask-cfg-'), 'config.json');
      writeFileSync(cfg, JSON.stringify({ state_dir: stateDir, ai: { enabled: true, base_url: `${server.url}/v1`, model: 'test-model' } }));
      // Run without blocking this process: the model's server answers from here.
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [BIN, 'ask', '--config', cfg, 'zz arrivals in the second month'], { cwd: ROOT, env: childEnv({ ...AT, SENTRA_AI_API_KEY: key }) },
          (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }));
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^Refused \[ERR_QUERY_REFUSED\]: the model's filter is not valid: \/: unknown field "where"/);
      expect(r.stdout + r.stderr).not.toContain(key);
    } finally {
      await server.close();
    }
  });
});
