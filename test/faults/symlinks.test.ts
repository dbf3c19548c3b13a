// A configured log path that is a symbolic link: one someone else could have planted, or one that leads a
// root agent to a root-only file, is not followed; the agent says so (status exits 4) and stores nothing of it.
import { execFileSync } from 'node:child_process';
import { lchownSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStatus } from '../../agent/daemon/status.js';
import { linkProblem } from '../../agent/sources/file-source.js';
import { startAgent, tempDir, writeConfig, type AgentRun } from '../helpers/agent.js';
import { sentra } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const running: AgentRun[] = [];
afterEach(() => { for (const a of running.splice(0)) a.child.kill('SIGKILL'); });

const LINE = '2026-03-01T10:00:00.000000+00:00 web-01 sshd[1]: Failed password for root from 203.0.113.9 port 22 ssh2\n';

describe('symbolic links as log paths', () => {
  it('are not followed by default, and the agent says so', async () => {
    const dir = tempDir('sentra-links-');
    const log = join(dir, 'real.log');
    writeFileSync(log, LINE);
    symlinkSync(log, join(dir, 'auth.log'));
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [join(dir, 'auth.log')], poll_ms: 50 } } });
    const agent = startAgent(config);
    running.push(agent);
    const status = () => { try { return readStatus(join(dir, 'state')); } catch { return undefined; } };
    await waitFor(() => (status()?.degraded ?? []).some((d) => d.includes('is a symbolic link: not followed')), 'the refusal', 30_000);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  }, 60_000);

  it('follows a root-owned link to a readable log, and refuses planted links and links to root-only files', () => {
    expect(process.getuid?.()).toBe(0);
    const dir = tempDir('sentra-links-');
    const log = join(dir, 'real.log');
    writeFileSync(log, LINE, { mode: 0o644 });
    const secret = join(dir, 'shadow');
    writeFileSync(secret, 'root:$6$secret:19000:0:99999:7:::\n', { mode: 0o600 });
    symlinkSync(log, join(dir, 'ok.log'));
    symlinkSync(secret, join(dir, 'to-secret.log'));
    symlinkSync(log, join(dir, 'planted.log'));
    lchownSync(join(dir, 'planted.log'), 65534, 65534);
    expect(linkProblem(log)).toBeNull();
    expect(linkProblem(join(dir, 'ok.log'))).toBeNull();
    expect(linkProblem(join(dir, 'ok.log'), false)).toBe(`${join(dir, 'ok.log')} is a symbolic link: not followed (set sources.files.follow_symlinks: true to follow it)`);
    execFileSync('mkfifo', [join(dir, 'fifo.log')]);
    expect(linkProblem(join(dir, 'fifo.log'))).toBe(`${join(dir, 'fifo.log')} is not a regular file: not read`);
    expect(linkProblem(join(dir, 'to-secret.log'))).toBe(`${join(dir, 'to-secret.log')} is a symbolic link to a file only root may read (mode 600): not followed`);
    expect(linkProblem(join(dir, 'planted.log'))).toBe(`${join(dir, 'planted.log')} is a symbolic link owned by uid 65534: not followed`);
  });

  it('keeps the agent from storing a line of a root-only file, and says why', async () => {
    const dir = tempDir('sentra-links-');
    const secret = join(dir, 'shadow');
    writeFileSync(secret, LINE, { mode: 0o600 });
    const link = join(dir, 'auth.log');
    symlinkSync(secret, link);
    // Even with follow_symlinks, a root agent does not follow a link to a root-only file.
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [link], poll_ms: 50, follow_symlinks: true } } });
    const agent = startAgent(config);
    running.push(agent);
    const state = join(dir, 'state');
    const status = () => { try { return readStatus(state); } catch { return undefined; } };
    await waitFor(() => (status()?.degraded ?? []).some((d) => d.includes('only root may read')), 'the refusal in status', 30_000);
    expect(sentra(['status', '--config', config]).code).toBe(4);
    expect(status()!.pipeline.read).toBe(0);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(sentra(['signals', '--config', config, '--since', '2000-01-01', '--format', 'jsonl']).stdout).toBe('');
  }, 60_000);
});
