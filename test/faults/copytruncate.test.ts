// logrotate's copytruncate while the agent runs: the file is copied to auth.log.1, emptied in place and
// written again, here at once and past the old size, so the follower cannot tell by the size alone. The agent
// must notice (same inode, another first line), finish the old content from the copy, read the new content
// from its start, and end with the signals of one scan of both files.
import { appendFileSync, copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStatus } from '../../agent/daemon/status.js';
import type { Signal } from '../../agent/model.js';
import { startAgent, tempDir, writeConfig, type AgentRun } from '../helpers/agent.js';
import { generatedLines } from '../helpers/genlog.js';
import { sentra } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const running: AgentRun[] = [];
afterEach(() => { for (const a of running.splice(0)) a.child.kill('SIGKILL'); });

describe('copytruncate', () => {
  it('reads the rest of the old content from the copy and the new content from its start', async () => {
    const dir = tempDir('sentra-copytrunc-');
    const lines = generatedLines(dir, 9000, 61);
    const log = join(dir, 'auth.log');
    writeFileSync(log, `${lines.slice(0, 2000).join('\n')}\n`);
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 200 } } });
    const agent = startAgent(config);
    running.push(agent);
    const state = join(dir, 'state');
    const status = () => { try { return readStatus(state); } catch { return undefined; } };
    await waitFor(() => (status()?.pipeline.read ?? 0) >= 2000, 'the first lines', 30_000);

    // More lines the agent may not have read yet, then copy, empty and refill at once, past the old size.
    appendFileSync(log, `${lines.slice(2000, 3000).join('\n')}\n`);
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, `${lines.slice(3000).join('\n')}\n`);
    await waitFor(() => (status()?.pipeline.read ?? 0) >= 9000 && status()?.last_checkpoint_at != null, 'everything read', 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(status()!.sources[0]!.truncations ?? 0).toBeGreaterThanOrEqual(1);
    expect(status()!.pipeline.read).toBe(9000);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    const keys = (text: string) => text.split('\n').filter(Boolean).map((l) => { const s = JSON.parse(l) as Signal; return `${s.id} ${s.count}`; }).sort();
    const all = join(dir, 'all.log');
    writeFileSync(all, readFileSync(`${log}.1`, 'utf8') + readFileSync(log, 'utf8'));
    expect(keys(sentra(['signals', '--config', config, '--since', '2000-01-01', '--format', 'jsonl']).stdout))
      .toEqual(keys(sentra(['scan', '--format', 'jsonl', '--timezone', 'UTC', all]).stdout));
  }, 120_000);
});
