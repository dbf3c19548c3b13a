// A damaged state.json (truncated, emptied, a position inside a line, an aggregation that does not decode):
// the agent sets it aside with the reason, starts (no restart loop), and never replaces a stored signal with a
// version derived from fewer lines.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stateProblem } from '../../agent/daemon/checkpoint.js';
import { readStatus } from '../../agent/daemon/status.js';
import type { Signal } from '../../agent/model.js';
import { startAgent, tempDir, writeConfig, type AgentRun } from '../helpers/agent.js';
import { generatedLines } from '../helpers/genlog.js';
import { sentra } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const running: AgentRun[] = [];
afterEach(() => { for (const a of running.splice(0)) a.child.kill('SIGKILL'); });

function counts(config: string): Map<string, number> {
  const r = sentra(['signals', '--config', config, '--since', '2000-01-01', '--format', 'jsonl']);
  return new Map(r.stdout.split('\n').filter(Boolean).map((l) => { const s = JSON.parse(l) as Signal; return [s.id, s.count]; }));
}

async function runOnce(config: string, state: string, lines: number): Promise<string> {
  const agent = startAgent(config);
  running.push(agent);
  const status = () => { try { return readStatus(state); } catch { return undefined; } };
  // Read at least `lines`, and caught up: nothing of the log left unread.
  await waitFor(() => status()?.state === 'running' && (status()?.pipeline.read ?? 0) >= lines && status()?.last_checkpoint_at != null
    && status()?.sources.every((s) => s.lag.bytes === 0) === true, 'the log read', 60_000);
  await new Promise((r) => setTimeout(r, 1200));
  agent.child.kill('SIGTERM');
  expect(await agent.exited).toBe(0);
  return agent.output();
}

describe('a damaged state.json', () => {
  it('is set aside; sources read again from a rotated log never lower a stored signal', async () => {
    const dir = tempDir('sentra-state-');
    const lines = generatedLines(dir, 8000, 51);
    const log = join(dir, 'auth.log');
    writeFileSync(log, `${lines.join('\n')}\n`);
    const state = join(dir, 'state');
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } } });
    await runOnce(config, state, lines.length);
    const before = counts(config);
    expect(before.size).toBeGreaterThan(3);

    // The log rotated away while the agent was stopped (only the newer half is left), and state.json is cut short.
    renameSync(log, `${log}.gone`);
    writeFileSync(log, `${lines.slice(4000).join('\n')}\n`);
    const st = readFileSync(join(state, 'state.json'), 'utf8');
    writeFileSync(join(state, 'state.json'), st.slice(0, Math.floor(st.length / 2)));
    const out = await runOnce(config, state, 4000);
    expect(out).toMatch(/state\.json cannot be used \(.*\); kept as .*state\.json\.damaged-/);
    expect(readdirSync(state).some((n) => n.startsWith('state.json.damaged-'))).toBe(true);
    const after = counts(config);
    for (const [id, n] of before) expect(after.get(id), id).toBeGreaterThanOrEqual(n);
  }, 180_000);

  it('with an aggregation that does not decode, or an empty file, starts instead of looping', async () => {
    const dir = tempDir('sentra-state-');
    const log = join(dir, 'auth.log');
    writeFileSync(log, '2026-03-01T10:00:00.000000+00:00 web-01 sshd[1]: Failed password for root from 203.0.113.9 port 22 ssh2\n');
    const state = join(dir, 'state');
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } } });
    await runOnce(config, state, 1);
    const good = JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(state, 'state.json'), JSON.stringify({ ...good, aggregation: { hosts: 5 } }));
    expect(await runOnce(config, state, 1)).toMatch(/state\.json cannot be used \(its aggregation state does not decode/);
    writeFileSync(join(state, 'state.json'), '');
    expect(await runOnce(config, state, 1)).toMatch(/state\.json cannot be used \(Unexpected end of JSON input\)/);
  }, 120_000);

  it('names what is wrong with a state it cannot trust', () => {
    const dir = tempDir('sentra-state-');
    const log = join(dir, 'auth.log');
    writeFileSync(log, 'one line\nanother line\n');
    const ino = Number(execFileSync('stat', ['-c', '%i', log], { encoding: 'utf8' }));
    const dev = Number(execFileSync('stat', ['-c', '%d', log], { encoding: 'utf8' }));
    const base = { version: 1, saved_at: '2026-03-01T00:00:00Z', rules_version: 'x', aggregation: {} };
    const file = (offset: number) => ({ [`file:${log}`]: { kind: 'file', path: log, dev, ino, offset, line: 1, first_line: null } });
    expect(stateProblem({ ...base, sources: file(9) })).toBeNull();
    expect(stateProblem({ ...base, sources: file(5) })).toBe(`sources.file:${log}.offset 5 is not at the end of a line of ${log}`);
    expect(stateProblem({ ...base, sources: file(-1) })).toBe(`sources.file:${log}.offset is not a whole number`);
    expect(stateProblem({ ...base, aggregation: 5, sources: {} })).toBe('aggregation is not an object');
    expect(stateProblem({ ...base, version: 2, sources: {} })).toBe('unknown state version 2');
    expect(stateProblem([])).toBe('it is not an object');
  });

  it('falls back to the generation before it, and still counts every line once', async () => {
    const dir = tempDir('sentra-state-');
    const lines = generatedLines(dir, 6000, 52);
    const log = join(dir, 'auth.log');
    writeFileSync(log, `${lines.slice(0, 3000).join('\n')}\n`);
    const state = join(dir, 'state');
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } } });
    await runOnce(config, state, 3000);
    writeFileSync(log, `${lines.slice(3000).join('\n')}\n`, { flag: 'a' });
    await runOnce(config, state, 3000);
    expect(readdirSync(state)).toContain('state.json.prev');
    writeFileSync(join(state, 'state.json'), '{"version": 1, "sav');
    const out = await runOnce(config, state, 1);
    expect(out).toContain('using the previous state.json generation');
    const keys = (text: string) => text.split('\n').filter(Boolean).map((l) => { const s = JSON.parse(l) as Signal; return `${s.id} ${s.count}`; }).sort();
    expect(keys(sentra(['signals', '--config', config, '--since', '2000-01-01', '--format', 'jsonl']).stdout))
      .toEqual(keys(sentra(['scan', '--format', 'jsonl', '--timezone', 'UTC', log]).stdout));
  }, 180_000);
});
