// A log the service user cannot read for a while (rotation created it 0600, a permission fixed seconds later):
// the source says so (status exits 4 with the reason), retries with back-off, and reads everything once it
// can; the store then equals one scan of both files. The agent runs as `nobody`, since root reads anything.
import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStatus } from '../../agent/daemon/status.js';
import type { Signal } from '../../agent/model.js';
import { tempDir, writeConfig } from '../helpers/agent.js';
import { BIN, sentra } from '../helpers/cli.js';
import { childEnv } from '../helpers/pin-clock.js';
import { waitFor } from '../helpers/wait.js';

const NOBODY = 65534;
const children: Array<ReturnType<typeof spawn>> = [];
afterEach(() => { for (const c of children.splice(0)) c.kill('SIGKILL'); });

const line = (i: number) => `2026-03-01T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000000+00:00 web-01 `
  + `sshd[${2000 + i}]: Failed password for invalid user u${i} from 198.51.100.${(i % 50) + 1} port ${40000 + i} ssh2`;

describe('a log that cannot be read for a while', () => {
  it('is retried, reported, and read whole once it can be', async () => {
    expect(process.getuid?.()).toBe(0);
    const dir = tempDir('sentra-eacces-');
    chmodSync(dir, 0o755);
    const log = join(dir, 'auth.log');
    writeFileSync(log, `${Array.from({ length: 200 }, (_, i) => line(i)).join('\n')}\n`, { mode: 0o644 });
    const state = join(dir, 'state');
    mkdirSync(state, { mode: 0o750 });
    chownSync(state, NOBODY, NOBODY);
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } } });
    chmodSync(config, 0o644);
    let out = '';
    const child = spawn(process.execPath, [BIN, 'agent', '--config', config], { uid: NOBODY, gid: NOBODY, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    const status = () => { try { return readStatus(state); } catch { return undefined; } };
    await waitFor(() => (status()?.pipeline.read ?? 0) >= 200, 'the first file read', 30_000);

    // Rotation: the old file moves away, the new one is created unreadable for the service user.
    renameSync(log, `${log}.1`);
    writeFileSync(log, `${Array.from({ length: 300 }, (_, i) => line(200 + i)).join('\n')}\n`, { mode: 0o600 });
    await waitFor(() => (status()?.degraded ?? []).some((d) => /cannot be read \(EACCES\)/.test(d)), 'the failure in status', 30_000);
    const st = sentra(['status', '--config', config]);
    expect(st.code).toBe(4);
    expect(st.stdout).toMatch(/DEGRADED: source file:.*auth\.log failed: cannot be read \(EACCES\)/);

    chmodSync(log, 0o644);
    appendFileSync(log, `${line(500)}\n`);
    await waitFor(() => (status()?.pipeline.read ?? 0) >= 501 && status()?.degraded?.length === 0, 'recovery', 90_000);
    await waitFor(() => status()?.sources[0]?.state === 'following', 'following again', 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const all = join(dir, 'all.log');
    writeFileSync(all, readFileSync(`${log}.1`, 'utf8') + readFileSync(log, 'utf8'));
    const keys = (text: string) => text.split('\n').filter(Boolean).map((l) => { const s = JSON.parse(l) as Signal; return `${s.id} ${s.count}`; }).sort();
    expect(keys(sentra(['signals', '--config', config, '--since', '2000-01-01', '--format', 'jsonl']).stdout))
      .toEqual(keys(sentra(['scan', '--format', 'jsonl', '--timezone', 'UTC', all]).stdout));
    expect(out).not.toContain('"level":"error"');
  }, 120_000);
});
