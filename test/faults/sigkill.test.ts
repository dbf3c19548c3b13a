// Crash safety: the agent follows a growing log and is killed with SIGKILL at random points, again and
// again. The signals it ends up with (ids, counts, evidence) must equal those of one `sentra scan` over
// the whole file: no line lost, none counted twice, and windows carried across restarts.
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../agent/model.js';
import { startAgent, tempDir, writeConfig } from '../helpers/agent.js';
import { generatedLines } from '../helpers/genlog.js';
import { sentra } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

function prng(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const key = (s: Signal): string => `${s.id} ${s.kind} count=${s.count} risk=${s.risk} ${s.first_seen}..${s.last_seen}`;

describe('kill -9 at random points', () => {
  it('ends with exactly the signals of an uninterrupted scan', async () => {
    const dir = tempDir('sentra-crash-');
    const lines = generatedLines(dir, 30000, 11);
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } }, agent: { checkpoint_seconds: 1, status_seconds: 1, commit_every_lines: 3000 } });
    const rnd = prng(20261121);
    let written = 0;
    let kills = 0;
    let agent = startAgent(config);
    while (written < lines.length) {
      const n = Math.min(lines.length - written, 500 + Math.floor(rnd() * 4000));
      appendFileSync(log, `${lines.slice(written, written + n).join('\n')}\n`);
      written += n;
      await new Promise((r) => setTimeout(r, 100 + Math.floor(rnd() * 1200)));
      if (rnd() < 0.7) {
        agent.child.kill('SIGKILL');
        await agent.exited;
        kills++;
        agent = startAgent(config);
      }
    }
    const size = statSync(log).size;
    const statePath = join(dir, 'state', 'state.json');
    await waitFor(() => existsSync(statePath)
      && (JSON.parse(readFileSync(statePath, 'utf8')) as { sources: Record<string, { offset: number }> }).sources[`file:${log}`]?.offset === size,
    'the agent to reach the end of the log', 30_000);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(5);

    const stored = sentra(['signals', '--config', config, '--since', '2000-01-01', '--format', 'jsonl']).stdout
      .trim().split('\n').map((l) => JSON.parse(l) as Signal);
    const scanned = sentra(['scan', '--format', 'jsonl', '--timezone', 'UTC', '-q', log]).stdout
      .trim().split('\n').map((l) => JSON.parse(l) as Signal);
    expect(scanned.length).toBeGreaterThan(10);
    expect(stored.map(key).sort()).toEqual(scanned.map(key).sort());
    const evidence = (xs: Signal[]): string[] => xs.map((s) => `${s.id} ${s.evidence.map((e) => e.source).join(',')}`).sort();
    expect(evidence(stored)).toEqual(evidence(scanned));
  }, 120_000);
});
