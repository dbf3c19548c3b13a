// Log levels: under systemd every line carries its syslog priority (journald's PRIORITY), lines below the
// configured level are not written, and the level follows config.yaml on SIGHUP unless SENTRA_LOG_LEVEL pins it.
import { closeSync, fstatSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isJournalStream, jsonLogger } from '../../agent/daemon/log.js';
import { tempDir } from '../helpers/agent.js';
import { BIN } from '../helpers/cli.js';
import { childEnv } from '../helpers/pin-clock.js';
import { waitFor } from '../helpers/wait.js';

describe('log levels', () => {
  it('prefixes each line with its priority for journald and drops lines below the level', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => { text += d.toString(); });
    const log = jsonLogger(out, { level: 'warn', priorityPrefix: true });
    log('info', 'not shown');
    log('warn', 'a warning');
    log('error', 'an error');
    log.setLevel('debug');
    log('debug', 'now shown');
    const lines = text.trim().split('\n');
    expect(lines.map((l) => l.slice(0, 3))).toEqual(['<4>', '<3>', '<7>']);
    expect(JSON.parse(lines[0]!.slice(3))).toMatchObject({ level: 'warn', msg: 'a warning' });
    const plain = new PassThrough();
    let p = '';
    plain.on('data', (d: Buffer) => { p += d.toString(); });
    jsonLogger(plain, { priorityPrefix: false })('info', 'x');
    expect(p.startsWith('{')).toBe(true);
  });

  it('knows the journal\'s stream by its device and inode only', () => {
    const file = join(tempDir('sentra-log-'), 'out');
    const fd = openSync(file, 'w');
    const st = fstatSync(fd);
    expect(isJournalStream(fd, { JOURNAL_STREAM: `${st.dev}:${st.ino}` })).toBe(true);
    expect(isJournalStream(fd, { JOURNAL_STREAM: `${st.dev}:${st.ino + 1}` })).toBe(false);
    expect(isJournalStream(fd, {})).toBe(false);
    closeSync(fd);
  });

  it('runs the agent with priorities on the journal stream, and changes level on SIGHUP', async () => {
    const dir = tempDir('sentra-log-');
    const log = join(dir, 'auth.log');
    writeFileSync(log, 'Mar  1 10:00:00 h sshd[1]: Failed password for root from 203.0.113.9 port 4 ssh2\n');
    const config = join(dir, 'config.yaml');
    const cfg = (level: string) => stringify({ state_dir: join(dir, 'state'), timezone: 'UTC', log_level: level,
      sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } }, agent: { checkpoint_seconds: 1, status_seconds: 1 } });
    writeFileSync(config, cfg('warn'));
    const outFile = join(dir, 'stdout');
    const fd = openSync(outFile, 'w');
    const st = fstatSync(fd);
    const child = spawn(process.execPath, [BIN, 'agent', '--config', config],
      { stdio: ['ignore', fd, fd], env: childEnv({ JOURNAL_STREAM: `${st.dev}:${st.ino}` }) });
    closeSync(fd);
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    const output = () => readFileSync(outFile, 'utf8');
    // At warn, the start-up line (info) is not written; the process is up once it writes status.json.
    await waitFor(() => { try { return readFileSync(join(dir, 'state', 'status.json'), 'utf8').includes('"running"'); } catch { return false; } }, 'the agent', 20_000);
    expect(output()).not.toContain('"msg":"sentra');
    writeFileSync(config, cfg('info'));
    child.kill('SIGHUP');
    await waitFor(() => output().includes('log level changed from warn to info'), 'the level change', 20_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = output().trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l, l).toMatch(/^<[3467]>\{/);
    expect(lines.find((l) => l.includes('log level changed'))!.startsWith('<4>')).toBe(true);
    expect(lines.find((l) => l.includes('"msg":"stopped"'))!.startsWith('<6>')).toBe(true);
  }, 60_000);

  it('refuses a SENTRA_LOG_LEVEL it does not know', async () => {
    const child = spawn(process.execPath, [BIN, 'agent', '--state-dir', tempDir('sentra-log-')], { env: childEnv({ SENTRA_LOG_LEVEL: 'loud' }) });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    expect(await new Promise((r) => child.on('exit', r))).toBe(2);
    expect(err).toContain('SENTRA_LOG_LEVEL');
  }, 30_000);
});
