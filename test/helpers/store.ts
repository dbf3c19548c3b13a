// test/helpers/store.ts: a state directory filled by scanning the scenario stories, as the demo does.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScan } from '../../agent/cli/scan.js';
import { clockFrom, setClock } from '../../agent/clock.js';
import { makeConfig, type Config } from '../../agent/config/load.js';
import { Capture } from './run.js';
import { tempDir } from './agent.js';
import { ROOT } from './cli.js';

export async function scenarioStore(extra: Record<string, unknown> = {}): Promise<{ dir: string; config: Config; configFile: string }> {
  const dir = tempDir('sentra-report-');
  const stateDir = join(dir, 'state');
  const scen = join(ROOT, 'test', 'fixtures', 'scenarios');
  const files = readdirSync(scen).map((n) => join(scen, n, 'input.log'));
  const overrides = join(ROOT, 'overrides.json');
  // The store stands for an agent that has run with these overrides since before the stories began: the
  // overrides history it records is dated then, not on the day the test runs.
  const before = setClock(clockFrom(Date.parse('2026-01-15T09:00:00Z')));
  let code: number;
  try {
    code = await runScan(files, { format: 'jsonl', quiet: true, year: '2026', timezone: 'UTC', overrides, stateDir }, new Capture());
  } finally {
    setClock(before);
  }
  if (code !== 0) throw new Error(`scan exited ${code}`);
  const data = { state_dir: stateDir, overrides, ...extra };
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(data));
  return { dir, config: makeConfig(data), configFile };
}
