// test/helpers/ask-store.ts: a state directory filled by the real pipeline (`scan --state-dir`) from generated
// auth.log traffic on three hosts (February and March 2026) and the scenario stories (November 2026), for
// `sentra ask` tests; and an independent reading of what it holds (the JSON lines, last version per id).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScan } from '../../agent/cli/scan.js';
import { clockFrom, setClock } from '../../agent/clock.js';
import type { Incident, Signal } from '../../agent/model.js';
import { tempDir } from './agent.js';
import { ROOT } from './cli.js';
import { Capture } from './run.js';

export async function askStore(): Promise<{ dir: string; stateDir: string }> {
  const dir = tempDir('sentra-ask-');
  const stateDir = join(dir, 'state');
  const log = join(dir, 'generated.log');
  execFileSync(process.execPath, [join(ROOT, '..', 'shared', 'tools', 'gen-authlog.mjs'), '--lines', '150000', '--seed', '17',
    '--start', '2026-02-01T00:00:00Z', '--hosts', '3', '--rfc3339', '--out', log]);
  const scen = join(ROOT, 'test', 'fixtures', 'scenarios');
  const files = [log, ...readdirSync(scen).sort().map((n) => join(scen, n, 'input.log'))];
  const before = setClock(clockFrom(Date.parse('2026-11-30T12:00:00Z')));
  try {
    const code = await runScan(files, { format: 'jsonl', quiet: true, year: '2026', timezone: 'UTC', stateDir }, new Capture());
    if (code !== 0) throw new Error(`scan exited ${code}`);
  } finally {
    setClock(before);
  }
  return { dir, stateDir };
}

/** The last line of each id across the store's files: what the store holds, read without Sentra's code. */
function lastVersions<T extends { id: string }>(dir: string): T[] {
  const byId = new Map<string, T>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) if (line) { const x = JSON.parse(line) as T; byId.set(x.id, x); }
  }
  return [...byId.values()];
}

export const storedSignals = (stateDir: string): Signal[] => lastVersions<Signal>(join(stateDir, 'signals'));
export const storedIncidents = (stateDir: string): Incident[] => lastVersions<Incident>(join(stateDir, 'incidents'));
