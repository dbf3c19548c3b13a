// Store faults against the running agent: the signal file cannot be appended to for a while (made immutable
// with chattr +i), and the state directory's file system fills up (a small tmpfs). Sentra must say so
// (status exits 4 and names the reason), keep the checkpoint where it was, and once the fault clears end
// with exactly the signals of one `sentra scan` of everything written: nothing lost, nothing counted twice.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Signal } from '../../agent/model.js';
import { readStatus } from '../../agent/daemon/status.js';
import { startAgent, tempDir, writeConfig, type AgentRun } from '../helpers/agent.js';
import { generatedLines } from '../helpers/genlog.js';
import { sentra } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const running: AgentRun[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const a of running.splice(0)) a.child.kill('SIGKILL');
  for (const c of cleanups.splice(0).reverse()) c();
});

const key = (s: Signal): string => `${s.id} ${s.kind} count=${s.count} risk=${s.risk} ${s.first_seen}..${s.last_seen}`;


function stored(config: string): string[] {
  const r = sentra(['signals', '--config', config, '--since', '2000-01-01', '--format', 'jsonl']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).map((l) => key(JSON.parse(l) as Signal)).sort();
}

function scanned(dir: string, lines: string[]): string[] {
  const all = join(dir, 'all.log');
  writeFileSync(all, `${lines.join('\n')}\n`);
  const r = sentra(['scan', '--format', 'jsonl', '--timezone', 'UTC', '-q', all]);
  return r.stdout.split('\n').filter(Boolean).map((l) => key(JSON.parse(l) as Signal)).sort();
}

const status = (state: string) => { try { return readStatus(state); } catch { return undefined; } };

describe('store faults', () => {
  it('an immutable signal file: status exits 4 with the reason, the checkpoint waits, nothing is lost', async () => {
    const dir = tempDir('sentra-immutable-');
    const lines = generatedLines(dir, 12000, 31);
    const log = join(dir, 'auth.log');
    writeFileSync(log, `${lines.slice(0, 6000).join('\n')}\n`);
    const state = join(dir, 'state');
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } } });
    const agent = startAgent(config);
    running.push(agent);
    await waitFor(() => (status(state)?.pipeline.read ?? 0) >= 6000 && existsSync(join(state, 'signals')) && status(state)?.last_checkpoint_at != null,
      'the first half stored', 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    const segments = readdirSync(join(state, 'signals')).map((n) => join(state, 'signals', n));
    execFileSync('chattr', ['+i', ...segments]);
    cleanups.push(() => spawnSync('chattr', ['-i', ...segments]));
    const checkpoint = readFileSync(join(state, 'state.json'), 'utf8');
    appendFileSync(log, `${lines.slice(6000).join('\n')}\n`);
    await waitFor(() => (status(state)?.degraded ?? []).some((d) => d.includes('cannot store signals')), 'the fault in status', 60_000);
    const st = sentra(['status', '--config', config]);
    expect(st.code).toBe(4);
    expect(st.stdout).toMatch(/DEGRADED: cannot store signals in .*(EPERM|operation not permitted)/i);
    expect(readFileSync(join(state, 'state.json'), 'utf8')).toBe(checkpoint);
    execFileSync('chattr', ['-i', ...segments]);
    await waitFor(() => status(state)?.degraded?.length === 0 && (status(state)?.pipeline.read ?? 0) >= 12000
      && readFileSync(join(state, 'state.json'), 'utf8') !== checkpoint, 'recovery', 60_000);
    expect(agent.output()).toContain('storing and checkpointing again');
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(sentra(['status', '--config', config]).code).toBe(1);
    const want = scanned(dir, lines);
    expect(want.length).toBeGreaterThanOrEqual(4);
    expect(stored(config)).toEqual(want);
  }, 180_000);

  it('a full disk under the state directory: once space is back, the store equals one scan', async () => {
    const dir = tempDir('sentra-enospc-');
    const lines = generatedLines(dir, 12000, 32);
    const log = join(dir, 'auth.log');
    writeFileSync(log, `${lines.slice(0, 6000).join('\n')}\n`);
    const state = join(dir, 'state');
    mkdirSync(state);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', state]);
    cleanups.push(() => spawnSync('umount', ['-l', state]));
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } } });
    const agent = startAgent(config);
    running.push(agent);
    await waitFor(() => (status(state)?.pipeline.read ?? 0) >= 6000 && status(state)?.last_checkpoint_at != null, 'the first half stored', 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    // Fill the file system to the last byte.
    spawnSync('dd', ['if=/dev/zero', `of=${join(state, 'filler')}`, 'bs=64k'], { stdio: 'ignore' });
    appendFileSync(log, `${lines.slice(6000).join('\n')}\n`);
    await waitFor(() => /cannot (store signals|save state\.json).*ENOSPC/.test(agent.output()), 'the full disk noticed', 60_000);
    rmSync(join(state, 'filler'));
    await waitFor(() => agent.output().includes('storing and checkpointing again'), 'recovery', 60_000);
    await waitFor(() => (status(state)?.pipeline.read ?? 0) >= 12000 && status(state)?.degraded?.length === 0, 'everything read', 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(stored(config)).toEqual(scanned(dir, lines));
  }, 180_000);
});
