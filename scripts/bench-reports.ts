// scripts/bench-reports.ts: how long a weekly report and a 90-day audit bundle take on a store with
// 10,000 signals (made from the scenario signals, spread over 90 days with fresh ids and full evidence).
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runScan } from '../agent/cli/scan.js';
import { makeConfig } from '../agent/config/load.js';
import { loadRules } from '../agent/match/load-rules.js';
import type { Signal } from '../agent/model.js';
import { EMPTY_OVERRIDES } from '../agent/override/load.js';
import { LocalStore } from '../agent/store/local-store.js';
import { manifestFor, writeZip } from '../reports/audit/bundle.js';
import { bundleContents } from '../reports/audit/contents.js';
import { dayRange, parseWeek } from '../reports/period.js';
import { render } from '../reports/render.js';
import { buildWeekly } from '../reports/weekly/weekly.js';

const DAY = 86_400_000;

export async function benchReports(root: string, count = 10_000): Promise<{ signals: number; weekly_seconds: number; bundle_seconds: number; bundle_bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sentra-bench-reports-'));
  const scen = join(root, 'test', 'fixtures', 'scenarios');
  const sample: Signal[] = [];
  const sink = new Writable({ write(c: Buffer, _e, cb) { for (const l of c.toString().split('\n')) if (l) sample.push(JSON.parse(l) as Signal); cb(); } });
  await runScan(readdirSync(scen).map((n) => join(scen, n, 'input.log')), { format: 'jsonl', quiet: true, year: '2026', timezone: 'UTC' }, sink);
  const start = Date.parse('2026-08-03T00:00:00Z');
  const signals: Signal[] = [];
  for (let i = 0; i < count; i++) {
    const base = sample[i % sample.length]!;
    const t = start + Math.floor((i / count) * 90 * DAY);
    const shift = t - Date.parse(base.first_seen);
    signals.push({ ...base, id: createHash('sha256').update(String(i)).digest('hex').slice(0, 12),
      first_seen: new Date(t).toISOString(), last_seen: new Date(Date.parse(base.last_seen) + shift).toISOString() });
  }
  const cfg = makeConfig({ state_dir: dir });
  const store = new LocalStore(dir, cfg.store);
  store.upsert(signals);
  const t0 = performance.now();
  const facts = buildWeekly({ store, stateDir: dir, period: parseWeek('2026-W40') });
  render('weekly', 'html', facts);
  const weekly = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const period = dayRange('2026-08-03', '2026-10-31');
  const { files, hosts } = bundleContents({ cfg, store, period, overrides: EMPTY_OVERRIDES, rules: loadRules() });
  const bytes = await writeZip(join(dir, 'bundle.zip'), files, manifestFor(files, { hosts, from: '', to: '' }), new Date(period.to - 1000));
  const bundle = (performance.now() - t1) / 1000;
  return { signals: count, weekly_seconds: Number(weekly.toFixed(2)), bundle_seconds: Number(bundle.toFixed(2)), bundle_bytes: bytes };
}

if (process.argv[1]?.endsWith('bench-reports.js')) {
  const { packageRoot } = await import('../agent/paths.js');
  console.log(await benchReports(packageRoot()));
}
