// The live agent tells the same incidents as one scan of what was written: lines arriving in two parts, a
// SIGKILL in between, and the incident growing after the restart keeps its id; the stored signals name it.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident, Signal } from '../../agent/model.js';
import { startAgent, tempDir, writeConfig, type AgentRun } from '../helpers/agent.js';
import { ROOT, sentra } from '../helpers/cli.js';
import { scanIncidents } from '../helpers/run.js';
import { waitFor } from '../helpers/wait.js';

const running: AgentRun[] = [];
afterEach(() => {
  for (const a of running.splice(0)) a.child.kill('SIGKILL');
});

const file = join(ROOT, 'test', 'fixtures', 'incidents', 'one-chain', 'input.log');
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);

function incidents(config: string): Incident[] {
  const r = sentra(['incidents', '--config', config, '--since', '2000-01-01', '--format', 'jsonl']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Incident);
}

function signals(config: string): Signal[] {
  const r = sentra(['signals', '--config', config, '--since', '2000-01-01', '--format', 'jsonl']);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Signal);
}

describe('incidents in the live agent', () => {
  it('grows one incident across a SIGKILL and a restart, with the ids one scan gives', async () => {
    const dir = tempDir('sentra-agent-incidents-');
    const log = join(dir, 'auth.log');
    // Up to root's crontab: the chain has begun but sysadm has not logged in yet.
    const cut = lines.findIndex((l) => l.includes('REPLACE (root)')) + 1;
    writeFileSync(log, `${lines.slice(0, cut).join('\n')}\n`);
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } } });
    const first = startAgent(config);
    running.push(first);
    await waitFor(() => incidents(config).some((i) => i.signals.length >= 5), 'the incident so far', 20_000);
    const early = incidents(config);
    first.child.kill('SIGKILL');
    await first.exited;
    appendFileSync(log, `${lines.slice(cut).join('\n')}\n`);
    const second = startAgent(config);
    running.push(second);
    await waitFor(() => incidents(config).some((i) => i.signals.length === 9), 'the grown incident', 20_000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const replay = await scanIncidents([file], { year: '2026', timezone: 'UTC' });
    const live = incidents(config);
    expect(live.map((i) => i.id)).toEqual(replay.map((i) => i.id));
    expect(early.map((i) => i.id)).toEqual(replay.map((i) => i.id));
    expect(live[0]!.signals).toEqual(replay[0]!.signals);
    expect(live[0]!.timeline).toEqual(replay[0]!.timeline);
    const stored = signals(config);
    for (const id of replay[0]!.signals) expect(stored.find((s) => s.id === id)?.incident_id, id).toBe(replay[0]!.id);
    expect(stored.filter((s) => s.incident_id === null).length).toBeGreaterThan(0);
  }, 60_000);

  it('lists today\'s incidents in sentra status, also after a restart', async () => {
    const dir = tempDir('sentra-agent-incidents-today-');
    const log = join(dir, 'auth.log');
    writeFileSync(log, `${lines.join('\n')}\n`);
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } } });
    // The agent's day is the day of the story (its clock starts that evening).
    const agent = startAgent(config, { SENTRA_NOW: '2026-11-10T20:00:00Z' });
    running.push(agent);
    const status = (): { incidents_today?: Array<{ id: string; signals: number }> } =>
      JSON.parse(sentra(['status', '--config', config, '--format', 'json'], undefined, { SENTRA_NOW: '2026-11-10T20:00:00Z' }).stdout || '{}');
    await waitFor(() => (status().incidents_today ?? []).some((i) => i.signals === 9), 'the incident in status', 20_000);
    const text = sentra(['status', '--config', config], undefined, { SENTRA_NOW: '2026-11-10T20:00:00Z' }).stdout;
    const replay = await scanIncidents([file], { year: '2026', timezone: 'UTC' });
    expect(text).toContain('incidents today: 1\n');
    expect(text).toMatch(new RegExp(`\\n  ${replay[0]!.id}  high +.+ \\(9 signals, action required\\)\\n`));
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    const again = startAgent(config, { SENTRA_NOW: '2026-11-10T20:05:00Z' });
    running.push(again);
    await waitFor(() => JSON.parse(readFileSync(join(dir, 'state', 'status.json'), 'utf8')).pid === again.child.pid, 'the second status', 20_000);
    expect(status().incidents_today?.map((i) => i.id)).toEqual([replay[0]!.id]);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 60_000);
});
