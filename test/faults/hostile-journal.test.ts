// Hostile journal entries: a timestamp no Date can hold and a MESSAGE nested 20,000 arrays deep are counted
// as unparsed with a reason and skipped; the lines around them are read as usual, by `scan` (exit 0) and by
// the agent, which keeps checkpointing and ends with the same signals as the scan.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStatus } from '../../agent/daemon/status.js';
import type { Signal } from '../../agent/model.js';
import { startAgent, tempDir, writeConfig, type AgentRun } from '../helpers/agent.js';
import { sentra } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const running: AgentRun[] = [];
afterEach(() => { for (const a of running.splice(0)) a.child.kill('SIGKILL'); });

function entry(micros: string, message: unknown, n: number): string {
  return JSON.stringify({ __REALTIME_TIMESTAMP: micros, _HOSTNAME: 'web-01', SYSLOG_IDENTIFIER: 'sshd', _PID: String(1000 + n), MESSAGE: message, __CURSOR: `c${n}` });
}

function hostileLog(): string {
  const good = (n: number, ip: string) => entry(String(Date.UTC(2026, 2, 1, 10, 0, n) * 1000), `Failed password for invalid user u${n} from ${ip} port ${4000 + n} ssh2`, n);
  const lines = [good(1, '203.0.113.7'), entry('9000000000000000000', 'Failed password for root from 203.0.113.8 port 22 ssh2', 2),
    `{"__REALTIME_TIMESTAMP":"1772359200000000","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"sshd","MESSAGE":${'['.repeat(20000)}${']'.repeat(20000)},"__CURSOR":"c3"}`,
    entry('-5', 'Failed password for root from 203.0.113.8 port 22 ssh2', 4),
    JSON.stringify({ __REALTIME_TIMESTAMP: '1772359200000000', MESSAGE: [1, 2, 'x', { a: 1 }], __CURSOR: 'c5' })];
  for (let n = 6; n < 40; n++) lines.push(good(n, `198.51.100.${n}`));
  return `${lines.join('\n')}\n`;
}

describe('hostile journal entries', () => {
  it('are counted and skipped by scan, which reads the rest and exits 0', () => {
    const dir = tempDir('sentra-hostile-');
    const file = join(dir, 'journal.json');
    writeFileSync(file, hostileLog());
    const r = sentra(['scan', '--format', 'jsonl', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('39 lines read from 1 input: 35 parsed');
    expect(r.stderr).toMatch(/Unparsed: bad-timestamp 2, no-message 2\./);
    expect(r.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(0);
  });

  it('do not stop the agent: it checkpoints past them and stores what one scan finds', async () => {
    const dir = tempDir('sentra-hostile-');
    const file = join(dir, 'journal.json');
    writeFileSync(file, hostileLog());
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [file], poll_ms: 50 } } });
    const agent = startAgent(config);
    running.push(agent);
    const state = join(dir, 'state');
    const status = () => { try { return readStatus(state); } catch { return undefined; } };
    await waitFor(() => (status()?.pipeline.read ?? 0) >= 39 && status()?.last_checkpoint_at != null, 'every line read and checkpointed', 30_000);
    expect(status()!.pipeline.unparsed_reasons).toMatchObject({ 'bad-timestamp': 2, 'no-message': 2 });
    expect(sentra(['status', '--config', config]).code).toBe(0);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(agent.output()).not.toContain('"level":"error"');
    const ids = (out: string) => out.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Signal).id).sort();
    expect(ids(sentra(['signals', '--config', config, '--since', '2000-01-01', '--format', 'jsonl']).stdout))
      .toEqual(ids(sentra(['scan', '--format', 'jsonl', file]).stdout));
  }, 60_000);
});
