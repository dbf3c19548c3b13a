// test/helpers/agent.ts: runs the built agent as a child process on a temporary state directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BIN } from './cli.js';
import { childEnv } from './pin-clock.js';

export interface AgentRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeConfig(dir: string, cfg: Record<string, unknown>): string {
  const file = join(dir, 'config.yaml');
  writeFileSync(file, stringify({ state_dir: join(dir, 'state'), timezone: 'UTC',
    agent: { checkpoint_seconds: 1, status_seconds: 1 }, ...cfg }));
  return file;
}

/** `env` adds to the child's environment (SENTRA_NOW to start the agent's clock at another instant). */
export function startAgent(config: string, env: NodeJS.ProcessEnv = {}): AgentRun {
  const child = spawn(process.execPath, [BIN, 'agent', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(env) });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}
