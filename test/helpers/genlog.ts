// test/helpers/genlog.ts: realistic auth.log traffic from the shared deterministic generator
// (../shared/tools/gen-authlog.mjs), RFC 3339 timestamps from 2026-02-01, as an array of lines.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export function generatedLines(dir: string, lines: number, seed: number): string[] {
  const full = join(dir, 'full.log');
  execFileSync(process.execPath, [join(ROOT, '..', 'shared', 'tools', 'gen-authlog.mjs'), '--lines', String(lines), '--seed', String(seed),
    '--start', '2026-02-01T00:00:00Z', '--rfc3339', '--out', full]);
  return readFileSync(full, 'utf8').split('\n').filter(Boolean);
}
