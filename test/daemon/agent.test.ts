// The agent as a service: live appends become signals, SIGTERM is clean, overrides reload (and a bad
// file is refused while the last good one stays in force), and the journal source works end to end.
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Signal } from '../../agent/model.js';
import { startAgent, tempDir, writeConfig, type AgentRun } from '../helpers/agent.js';
import { ROOT, sentra } from '../helpers/cli.js';
import { appendJournal } from '../helpers/journal.js';
import { waitFor } from '../helpers/wait.js';

const running: AgentRun[] = [];
afterEach(() => {
  for (const a of running.splice(0)) a.child.kill('SIGKILL');
});

const week = readFileSync(join(ROOT, 'test', 'fixtures', 'scenarios', 'benign-week', 'input.log'), 'utf8').split('\n').filter(Boolean);

function stored(config: string): Signal[] {
  const r = sentra(['signals', '--config', config, '--since', '2000-01-01', '--format', 'jsonl']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Signal);
}

function status(config: string): { code: number; json: Record<string, unknown> } {
  const r = sentra(['status', '--config', config, '--format', 'json']);
  return { code: r.code, json: r.stdout ? JSON.parse(r.stdout) as Record<string, unknown> : {} };
}

describe('sentra agent', () => {
  it('turns lines appended while it runs into signals, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir('sentra-agent-');
    const log = join(dir, 'auth.log');
    writeFileSync(log, `${week.slice(0, 500).join('\n')}\n`);
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } } });
    const agent = startAgent(config);
    running.push(agent);
    await waitFor(() => stored(config).length > 0, 'first signals', 15_000);
    const before = stored(config).length;
    appendFileSync(log, `${week.slice(500).join('\n')}\n`);
    await waitFor(() => stored(config).some((s) => s.entities.target_user === 'carol'), 'signal from appended lines', 15_000);
    expect(stored(config).length).toBeGreaterThan(before);
    const st = status(config);
    expect(st.code).toBe(0);
    expect(st.json.running).toBe(true);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(agent.output()).toContain('"msg":"stopped"');
    expect(status(config).code).toBe(1);
  }, 40_000);

  it('refuses a bad overrides.json with the reason and keeps the last good one in force', async () => {
    const dir = tempDir('sentra-agent-');
    const log = join(dir, 'auth.log');
    writeFileSync(log, `${week.join('\n')}\n`);
    const overrides = join(dir, 'overrides.json');
    copyFileSync(join(ROOT, 'overrides.json'), overrides);
    const config = writeConfig(dir, { overrides, sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } } });
    const agent = startAgent(config);
    running.push(agent);
    const deploy = (): Signal[] => stored(config).filter((s) => s.entities.user === 'deploy');
    await waitFor(() => deploy().length > 0 && deploy().every((s) => s.suppressed), 'suppressed deploy signals', 15_000);

    writeFileSync(overrides, '{ "version": 1, "overrides": [ { "id": "x" } ] }');
    await waitFor(() => agent.output().includes('new overrides refused'), 'refusal in the log', 10_000);
    expect(agent.output()).toContain('missing required field');
    await waitFor(() => String((status(config).json.overrides as { last_error: string | null }).last_error).includes('missing required field'), 'refusal in status', 5_000);
    expect((status(config).json.overrides as { count: number }).count).toBe(1);

    // Still in force: a change to the log makes the agent store new versions, still suppressed.
    appendFileSync(log, 'Nov  7 01:30:00 web-01 sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/apt-get autoremove -y\n');
    await new Promise((r) => setTimeout(r, 2500));
    expect(deploy().every((s) => s.suppressed)).toBe(true);

    copyFileSync(join(ROOT, 'overrides.json'), overrides);
    agent.child.kill('SIGHUP');
    await waitFor(() => (status(config).json.overrides as { last_error: string | null }).last_error === null, 'recovery after SIGHUP', 10_000);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  }, 40_000);

  it('follows a real journal directory', async () => {
    const dir = tempDir('sentra-agent-');
    const jdir = join(dir, 'journal');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(jdir);
    const t0 = Date.parse('2026-03-12T02:10:00Z') * 1000;
    const failures = Array.from({ length: 8 }, (_, i) => ({ realtimeUs: t0 + i * 1_000_000, identifier: 'sshd', pid: 500 + i,
      message: `Failed password for alice from 203.0.113.50 port ${40000 + i} ssh2` }));
    appendJournal(jdir, [
      { realtimeUs: t0 - 3 * 86_400_000_000, identifier: 'sshd', pid: 400, message: 'Accepted publickey for alice from 198.51.100.20 port 1 ssh2' },
      ...failures,
    ]);
    const config = writeConfig(dir, { sources: { mode: 'journald', journald: { directory: jdir, initial_backfill_hours: 24 * 365 * 20 } } });
    const agent = startAgent(config);
    running.push(agent);
    await waitFor(() => stored(config).length >= 2, 'signals from the journal', 15_000);
    appendJournal(jdir, [{ realtimeUs: t0 + 60_000_000, identifier: 'sshd', pid: 600, message: 'Accepted password for alice from 203.0.113.50 port 41000 ssh2' }]);
    await waitFor(() => stored(config).some((s) => s.kind === 'ssh-success-after-failures'), 'success after failures, live', 15_000);
    const s = stored(config).find((x) => x.kind === 'ssh-success-after-failures')!;
    expect(s.evidence.some((e) => e.cursor !== undefined && e.source.startsWith('journal:'))).toBe(true);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  }, 40_000);
});
