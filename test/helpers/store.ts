// test/helpers/store.ts: a state directory filled by scanning the scenario stories, as the demo does.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScan } from '../../agent/cli/scan.js';
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
  const code = await runScan(files, { format: 'jsonl', quiet: true, year: '2026', timezone: 'UTC', overrides, stateDir }, new Capture());
  if (code !== 0) throw new Error(`scan exited ${code}`);
  const data = { state_dir: stateDir, overrides, ...extra };
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(data));
  return { dir, config: makeConfig(data), configFile };
}
