// scripts/bench-reports.ts: how long a weekly report and a 90-day audit bundle take on a store with
// 10,000 signals (made from the scenario signals, spread over 90 days with fresh ids and full evidence).
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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
import { uiApp } from '../agent/ui/app.js';
import { UiData } from '../agent/ui/data.js';
import { loadToken } from '../agent/ui/token.js';
import { askQuestion } from '../agent/query/ask.js';

const DAY = 86_400_000;

export interface ReportsBench {
  signals: number; weekly_seconds: number; bundle_seconds: number; bundle_bytes: number;
  /** sentra ui pages and one question over the same store, in ms: each a first request, nothing cached. */
  ui_ms: Record<string, number>;
}

export async function benchReports(root: string, count = 10_000): Promise<ReportsBench> {
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
  const ui_ms = await benchUi(dir, cfg, signals);
  return { signals: count, weekly_seconds: Number(weekly.toFixed(2)), bundle_seconds: Number(bundle.toFixed(2)), bundle_bytes: bytes, ui_ms };
}

/** The investigation view's heaviest pages over the store: a 90-day list, a signal, an account over all time, a question. */
async function benchUi(dir: string, cfg: ReturnType<typeof makeConfig>, signals: Signal[]): Promise<Record<string, number>> {
  writeFileSync(join(dir, 'ui.token'), 'bench-token-0123456789abcdefghij\n', { mode: 0o600 });
  const app = uiApp({ data: new UiData(dir, cfg.store), token: loadToken(join(dir, 'ui.token')), host: 'bench', listenHost: '127.0.0.1',
    ask: (q) => askQuestion(q, { stateDir: dir, config: cfg, now: new Date('2026-11-01T00:00:00Z') }) });
  const account = signals.find((s) => typeof s.entities.user === 'string')?.entities.user as string;
  const pages: Record<string, string> = {
    signals_90_days: '/signals?from=2026-08-03&to=2026-10-31',
    incidents_90_days: '/incidents?from=2026-08-03&to=2026-10-31',
    signal: `/signals/${signals[0]!.id}`,
    account_all_time: `/entities/account/${encodeURIComponent(account)}`,
    ask_failed_logins_in_september: `/ask?q=${encodeURIComponent('failed logins in September')}`,
  };
  const out: Record<string, number> = {};
  for (const [name, path] of Object.entries(pages)) {
    const t = performance.now();
    const r = await app.request(`http://127.0.0.1${path}`, { headers: { authorization: 'Bearer bench-token-0123456789abcdefghij' } });
    await r.text();
    if (r.status !== 200) throw new Error(`ui bench: ${path} answered ${r.status}`);
    out[name] = Math.round(performance.now() - t);
  }
  return out;
}

if (process.argv[1]?.endsWith('bench-reports.js')) {
  const { packageRoot } = await import('../agent/paths.js');
  console.log(await benchReports(packageRoot()));
}
