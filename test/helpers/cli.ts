// test/helpers/cli.ts: the built `sentra` command. scripts/test.sh builds dist/ once before vitest runs;
// when running one test file by hand, run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from './pin-clock.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'dist', 'agent', 'cli', 'main.js');

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" before these tests`);

/** Runs the built CLI; its clock continues the suite's pinned clock unless `env` sets SENTRA_NOW. */
export function sentra(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 26, env: childEnv(env) });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
