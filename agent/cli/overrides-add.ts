// agent/cli/overrides-add.ts: `sentra overrides add`: writes a well-formed entry to overrides.json for
// activity that turned out to be planned, so operators need not hand-edit JSON for the common case.
// The whole file is validated before it is replaced (atomically); a bad result is never written.
import { existsSync, readFileSync } from 'node:fs';
import { SentraError } from '../errors.js';
import type { Signal } from '../model.js';
import { checkOverrides } from '../override/load.js';
import type { OverrideSpec, OverridesFile } from '../override/schema.js';
import { LocalStore } from '../store/local-store.js';
import { writeFileAtomic } from '../store/atomic.js';
import { resolveConfig, type DaemonOptions } from './daemon.js';
import { EXIT } from './exit.js';
import { nowDate } from '../clock.js';

export interface AddOptions extends DaemonOptions {
  file?: string;
  id: string;
  reason: string;
  reviewer: string;
  action: string;
  signal?: string;
  fromSignal?: string;
  kind?: string;
  rule?: string;
  host?: string;
  user?: string;
  srcIp?: string;
  command?: string;
  cron?: string;
  duration?: string;
  timezone?: string;
  from?: string;
  to?: string;
  expires?: string;
  ticket?: string;
}

/** The match of an override that covers this signal's kind, host and account (not just its id). */
function matchFromSignal(s: Signal): OverrideSpec['match'] {
  const m: OverrideSpec['match'] = { kind: s.kind, host: s.host };
  const user = typeof s.entities.user === 'string' ? s.entities.user : typeof s.entities.target_user === 'string' ? s.entities.target_user : undefined;
  if (user) m.user = user;
  if (typeof s.entities.src_ip === 'string') m.src_ip = s.entities.src_ip;
  return m;
}

export function runOverridesAdd(opts: AddOptions, now = nowDate()): number {
  const cfg = resolveConfig(opts);
  const file = opts.file ?? cfg.overrides;
  if (!file) throw new SentraError('ERR_USAGE', 'name the overrides file with --file (or set overrides in the config)');
  const doc: OverridesFile = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as OverridesFile : { version: 1, overrides: [] };
  let match: OverrideSpec['match'] = {};
  if (opts.fromSignal) {
    const s = new LocalStore(cfg.state_dir, cfg.store).query().find((x) => x.id === opts.fromSignal);
    if (!s) throw new SentraError('ERR_USAGE', `no signal ${opts.fromSignal} in the store at ${cfg.state_dir}`);
    match = matchFromSignal(s);
  }
  const given: Array<[keyof OverrideSpec['match'], string | undefined]> = [['signal_id', opts.signal], ['kind', opts.kind], ['rule', opts.rule],
    ['host', opts.host], ['user', opts.user], ['src_ip', opts.srcIp], ['command', opts.command]];
  for (const [k, v] of given) if (v !== undefined) match[k] = v;
  const entry: OverrideSpec = { id: opts.id, reason: opts.reason, action: opts.action as OverrideSpec['action'], match };
  if (opts.cron || opts.duration) {
    if (!opts.cron || !opts.duration) throw new SentraError('ERR_USAGE', '--cron and --duration go together');
    entry.window = { cron: opts.cron, duration: opts.duration, ...(opts.timezone ? { timezone: opts.timezone } : {}) };
  }
  if (opts.from) entry.from = opts.from;
  if (opts.to) entry.to = opts.to;
  if (opts.expires) entry.expires = opts.expires;
  entry.reviewer = opts.reviewer;
  entry.created = now.toISOString().replace(/\.\d+Z$/, 'Z');
  if (opts.ticket) entry.ticket = opts.ticket;
  const next: OverridesFile = { ...doc, overrides: [...doc.overrides, entry] };
  const text = `${JSON.stringify(next, null, 2)}\n`;
  const { problems } = checkOverrides(text, file);
  if (problems.length > 0) {
    throw new SentraError('ERR_OVERRIDES_INVALID', `the new entry was not written: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, file);
  }
  writeFileAtomic(file, text, 0o644);
  process.stdout.write(`added override ${entry.id} to ${file} (${Object.entries(match).map(([k, v]) => `${k}=${v}`).join(', ')}); `
    + 'a running agent picks it up within a second\n');
  return EXIT.OK;
}
