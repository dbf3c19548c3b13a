// The packaged agent shipping to a real clickhouse-server: it reads a log while the server is down, the
// server comes back, the agent is killed (SIGKILL) while draining its spool and started again. ClickHouse
// must end with exactly the local store's signals and evidence, with little sent twice.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatus } from '../../agent/daemon/status.js';
import type { Signal } from '../../agent/model.js';
import { startAgent, tempDir, writeConfig } from '../helpers/agent.js';
import { queryRows, startClickHouse, type TestClickHouse } from '../helpers/clickhouse.js';
import { ROOT, sentra } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

let ch: TestClickHouse;
beforeAll(async () => { ch = await startClickHouse(); }, 60_000);
afterAll(async () => { await ch.stop(); });

const rows = (sql: string): Promise<Array<Record<string, unknown>>> => queryRows({ url: ch.url }, sql);
const n = async (sql: string): Promise<number> => Number((await rows(sql))[0]!.n);
const status = (state: string) => { try { return readStatus(state); } catch { return undefined; } };

describe('agent, outage and kill -9 mid-drain', () => {
  it('ends with the store\'s signals and evidence in ClickHouse, re-sending at most the batch in flight', async () => {
    const dir = tempDir('sentra-ch-agent-');
    const log = join(dir, 'auth.log');
    execFileSync(process.execPath, [join(ROOT, '..', 'shared', 'tools', 'gen-authlog.mjs'), '--lines', '20000', '--seed', '15',
      '--start', '2026-02-01T00:00:00Z', '--rfc3339', '--out', log]);
    const lines = 20000;
    const state = join(dir, 'state');
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } },
      clickhouse: { enabled: true, url: ch.url, database: 'agentkill', tenant: 'acme', batch_size: 1, flush_seconds: 1, probe_seconds: 1 } });
    await ch.stop();
    let agent = startAgent(config);
    await waitFor(() => (status(state)?.pipeline.read ?? 0) >= lines && (status(state)?.clickhouse?.failures ?? 0) > 0, 'the log read while ClickHouse is down', 60_000);
    await waitFor(() => status(state)?.last_checkpoint_at != null, 'a checkpoint', 20_000);
    await new Promise((r) => setTimeout(r, 1500)); // one more commit: everything read is stored and spooled
    await ch.start();
    // Kill it as soon as ClickHouse has part of the spool.
    for (let i = 0; i < 2000; i++) {
      if (await n('SELECT count() AS n FROM system.tables WHERE database = \'agentkill\' AND name = \'signals\'') > 0
        && await n('SELECT count() AS n FROM agentkill.signals') > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    agent.child.kill('SIGKILL');
    await agent.exited;
    agent = startAgent(config);
    await waitFor(() => { const s = status(state); return s?.state === 'running' && s.clickhouse?.spool.records === 0 && s.clickhouse.sent_signals > 0; },
      'the restarted agent to drain its spool', 60_000);
    agent.child.kill('SIGTERM');
    await agent.exited;

    const stored = sentra(['signals', '--config', config, '--since', '2020-01-01', '--format', 'jsonl']).stdout
      .split('\n').filter(Boolean).map((l) => JSON.parse(l) as Signal);
    expect(stored.length).toBeGreaterThan(5);
    const inCh = await rows('SELECT id, count FROM agentkill.signals_latest ORDER BY id');
    expect(inCh).toEqual(stored.map((s) => ({ id: s.id, count: String(s.count) })).sort((a, b) => (a.id < b.id ? -1 : 1)));
    const evidence = stored.reduce((k, s) => k + s.evidence.length, 0);
    expect(await n('SELECT count() AS n FROM agentkill.evidence_latest')).toBe(evidence);
    // Every version waited in the spool together: only the newest of each went, plus at most the one record in flight.
    expect(await n('SELECT count() AS n FROM agentkill.signals')).toBeLessThanOrEqual(stored.length + 1);
    expect(await n('SELECT count() AS n FROM agentkill.evidence')).toBeLessThanOrEqual(evidence + 20);
  }, 180_000);
});
