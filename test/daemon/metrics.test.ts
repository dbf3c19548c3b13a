// The metrics endpoint of a running agent, scraped over loopback like Prometheus would: the values equal
// what `sentra status` reports, both exposition formats are served, other paths are refused, and the
// endpoint is off unless configured.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStatus } from '../../agent/daemon/status.js';
import { startAgent, tempDir, writeConfig, type AgentRun } from '../helpers/agent.js';
import { ROOT } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const running: AgentRun[] = [];
afterEach(() => {
  for (const a of running.splice(0)) a.child.kill('SIGKILL');
});

const freePort = (): Promise<number> => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

/** `name{labels} value` lines of the text format, as a map. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

const week = readFileSync(join(ROOT, 'test', 'fixtures', 'scenarios', 'benign-week', 'input.log'), 'utf8');

describe('metrics endpoint', () => {
  it('serves what status shows, in the Prometheus and OpenMetrics formats, on the configured loopback port only', async () => {
    const dir = tempDir('sentra-metrics-');
    const log = join(dir, 'auth.log');
    writeFileSync(log, `${week}not a syslog line at all\n`);
    const port = await freePort();
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } }, metrics: { listen: `127.0.0.1:${port}` } });
    const agent = startAgent(config);
    running.push(agent);
    const lines = week.split('\n').filter(Boolean).length + 1;
    const state = join(dir, 'state');
    const status = () => { try { return readStatus(state); } catch { return undefined; } };
    await waitFor(() => (status()?.pipeline.read ?? 0) >= lines && status()?.last_checkpoint_at != null, 'the log read and checkpointed', 30_000);
    await waitFor(() => agent.output().includes(`metrics at http://127.0.0.1:${port}/metrics`), 'the endpoint', 10_000);

    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const m = samples(await res.text());
    const st = status()!;
    expect(m.get('sentra_lines_total{stage="read"}')).toBe(st.pipeline.read);
    expect(m.get('sentra_lines_total{stage="parsed"}')).toBe(st.pipeline.parsed);
    expect(m.get('sentra_lines_total{stage="unparsed"}')).toBe(1);
    expect([...m.keys()].some((k) => k.startsWith('sentra_unparsed_lines_total{reason='))).toBe(true);
    expect(m.get(`sentra_source_lines_total{source="${st.sources[0]!.name}"}`)).toBe(st.sources[0]!.lines);
    expect(m.get(`sentra_source_state{source="${st.sources[0]!.name}",state="${st.sources[0]!.state}"}`)).toBe(1);
    for (const band of ['info', 'low', 'medium', 'high']) {
      expect(m.get(`sentra_signals_today{band="${band}"}`)).toBe(st.signals_today[band as keyof typeof st.signals_today]);
    }
    expect(m.get('sentra_store_bytes')).toBeGreaterThan(0);
    expect(m.get('sentra_checkpoint_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(m.get(`sentra_info{version="${st.version}",rules_version="${st.rules.version}"}`)).toBe(1);
    expect(m.has('sentra_process_resident_memory_bytes')).toBe(true);

    const open = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(open.headers.get('content-type')).toContain('application/openmetrics-text');
    expect((await open.text()).trimEnd().endsWith('# EOF')).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(404);

    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  }, 60_000);

  it('is off by default, and a bad listen address is refused by the config check', async () => {
    const dir = tempDir('sentra-metrics-');
    const log = join(dir, 'auth.log');
    writeFileSync(log, week);
    const agent = startAgent(writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } } }));
    running.push(agent);
    await waitFor(() => agent.output().includes('started'), 'the agent', 20_000);
    expect(agent.output()).not.toContain('metrics at');
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    const bad = startAgent(writeConfig(tempDir('sentra-metrics-'), { metrics: { listen: 'everywhere' } }));
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('/metrics/listen');
  }, 60_000);
});
