// agent/cli/daemon.ts: `sentra agent`, `sentra status` and `sentra signals`.
import { existsSync } from 'node:fs';
import { DEFAULT_CONFIG_PATH, loadConfig, type Config } from '../config/load.js';
import { Agent } from '../daemon/agent.js';
import { isLevel, jsonLogger, LEVELS } from '../daemon/log.js';
import { isLive, readStatus, statusPath, type AgentStatus } from '../daemon/status.js';
import { SentraError } from '../errors.js';
import type { Band, Signal } from '../model.js';
import { parseDuration } from '../override/load.js';
import { LocalStore } from '../store/local-store.js';
import { EXIT } from './exit.js';
import { readDecisions, type Decision } from '../decisions/decisions.js';
import { terminal } from '../sinks/escape.js';
import { now as clockNow } from '../clock.js';

export interface DaemonOptions {
  config?: string;
  stateDir?: string;
}

/** The config named, else /etc/sentra/config.yaml when present, else the defaults; --state-dir wins. */
export function resolveConfig(opts: DaemonOptions): Config {
  const file = opts.config ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : undefined);
  return loadConfig(file, opts.stateDir === undefined ? {} : { state_dir: opts.stateDir });
}

export async function runAgent(opts: DaemonOptions): Promise<number> {
  const cfg = resolveConfig(opts);
  const env = process.env.SENTRA_LOG_LEVEL;
  if (env !== undefined && !isLevel(env)) throw new SentraError('ERR_USAGE', `SENTRA_LOG_LEVEL must be one of ${LEVELS.join(', ')}, not "${env}"`);
  const log = jsonLogger(process.stdout, { level: env ?? cfg.log_level });
  const agent = new Agent(cfg, log);
  // The handler is there before start(): a SIGHUP during start-up (a log rotation's reload) would otherwise end
  // the process, its default action. One that arrives early is applied once the agent has started.
  let started = false;
  let pending = false;
  const hup = (): void => {
    if (!started) { pending = true; return; }
    // config.yaml is read again; a config that no longer validates keeps the last good one (and its level).
    let next: Config | Error;
    try {
      next = resolveConfig(opts);
    } catch (err) {
      next = err as Error;
    }
    if (env === undefined && !(next instanceof Error) && next.log_level !== log.level) {
      const before = log.level;
      log.setLevel(next.log_level);
      log('warn', `log level changed from ${before} to ${next.log_level}`);
    }
    void agent.reloadConfig(next);
  };
  process.on('SIGHUP', hup);
  // Likewise SIGTERM: one during start-up stops the agent cleanly once it has started.
  const stopSignal = new Promise<string>((resolve) => {
    for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => resolve(s));
  });
  await agent.start();
  started = true;
  if (pending) hup();
  const signal = await stopSignal;
  log('info', `received ${signal}`);
  const guard = setTimeout(() => {
    log('error', `shutdown took longer than ${cfg.agent.shutdown_seconds} s; exiting without a final checkpoint`);
    process.exit(EXIT.INTERNAL);
  }, cfg.agent.shutdown_seconds * 1000);
  guard.unref();
  await agent.stop();
  return EXIT.OK;
}

const n = (x: number): string => x.toLocaleString('en-US');

function statusText(s: AgentStatus, live: boolean): string {
  const out: string[] = [];
  out.push(`sentra ${s.version}: ${live ? `running (pid ${s.pid}) since ${s.started_at}` : `not running (last status ${s.updated_at}, state ${s.state})`}`);
  out.push(`rules: ${s.rules.count} (version ${s.rules.version})${s.rules.last_error ? `; last reload refused: ${s.rules.last_error}` : ''}`);
  out.push(`overrides: ${s.overrides.count} from ${s.overrides.file ?? '(none)'}${s.overrides.last_error ? `; last reload refused: ${s.overrides.last_error}` : ''}`);
  out.push(`last checkpoint: ${s.last_checkpoint_at ?? 'none yet'}`);
  out.push('sources:');
  for (const src of s.sources) {
    const lag = src.lag.bytes !== undefined ? `${n(src.lag.bytes)} bytes behind` : src.lag.seconds !== undefined ? `${n(src.lag.seconds)} s behind the newest entry` : 'lag unknown';
    const dropped = Object.entries(src.dropped).map(([k, v]) => `${k} ${n(v)}`).join(', ') || 'none';
    out.push(`  ${src.name}: ${src.state}${src.detail ? ` (${src.detail})` : ''}; ${n(src.lines)} lines, ${lag}; dropped: ${dropped}; restarts ${src.restarts}${src.truncations ? `; truncated in place ${src.truncations}×` : ''}`);
  }
  const p = s.pipeline;
  out.push(`lines: ${n(p.read)} read, ${n(p.parsed)} parsed, ${n(p.matched)} matched, ${n(p.unparsed)} unparsed, ${n(p.truncated)} cut, ${n(p.late)} late, ${n(p.ahead ?? 0)} dated ahead`);
  out.push(`signals today: ${(['high', 'medium', 'low', 'info'] as Band[]).map((b) => `${b} ${s.signals_today[b]}`).join(', ')}; ${s.action_required_today} need action`);
  const inc = s.incidents_today ?? [];
  out.push(`incidents today: ${inc.length ? inc.length : 'none'}`);
  for (const i of inc) out.push(`  ${i.id}  ${i.band.padEnd(6)} ${i.title} (${i.signals} signals${i.action_required ? ', action required' : ''})`);
  const sup = Object.entries(s.suppressed_today);
  out.push(`covered by overrides today: ${sup.length ? sup.map(([k, v]) => `${k} ${v}`).join(', ') : 'none'}`);
  const hits = Object.entries(s.override_hits_since_start);
  if (hits.length) out.push(`override hits since start: ${hits.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out.push(`store: ${(s.store.bytes / 1048576).toFixed(1)} MB in ${s.store.segments} segments`);
  if (s.clickhouse) {
    const c = s.clickhouse;
    const sp = c.spool;
    out.push(`clickhouse: ${c.server_version ? `server ${c.server_version}, ` : ''}${n(c.sent_signals)} signal rows and ${n(c.sent_evidence)} evidence rows sent, `
      + `${n(sp.records)} waiting in the spool (${(sp.bytes / 1048576).toFixed(1)} MB)`
      + `${sp.full ? '; the spool is full' : ''}${sp.evidence_owed ? `, evidence of ${n(sp.evidence_owed)} signals waits in the local store` : ''}`
      + `${sp.refused ? `, ${n(sp.refused)} signals refused by the spool will be re-sent from the local store` : ''}`
      + `${c.last_error ? `; last error: ${c.last_error}` : ''}`);
  }
  for (const d of s.degraded ?? []) out.push(`DEGRADED: ${d}`);
  for (const w of s.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
}

export function runStatus(opts: DaemonOptions & { format: string }): number {
  const cfg = resolveConfig(opts);
  if (!existsSync(statusPath(cfg.state_dir))) {
    process.stderr.write(`sentra: no status in ${cfg.state_dir}: the agent has not run with this state directory\n`);
    return EXIT.NOT_FOUND;
  }
  let s: AgentStatus;
  try {
    s = readStatus(cfg.state_dir);
    if (typeof s !== 'object' || s === null || Array.isArray(s) || typeof s.pid !== 'number' || !s.rules || !s.pipeline || !Array.isArray(s.sources)) {
      throw new Error('not a status written by the agent');
    }
  } catch (err) {
    // A damaged status.json (a crash mid-write, a full disk) is reported, not a crash of `sentra status`.
    process.stderr.write(`sentra: ${statusPath(cfg.state_dir)} cannot be read (${(err as Error).message.split('\n')[0]}); the agent rewrites it every few seconds while it runs\n`);
    return EXIT.NOT_FOUND;
  }
  const live = isLive(s);
  if (opts.format === 'json') process.stdout.write(`${JSON.stringify({ running: live, ...s }, null, 2)}\n`);
  else process.stdout.write(terminal(statusText(s, live)));
  if (!live) return EXIT.NOT_FOUND;
  return (s.degraded ?? []).length > 0 ? EXIT.DEGRADED : EXIT.OK;
}

/** `7d`, `12h`, `90m` back from now, or a date or ISO time. */
export function parseSince(v: string, now = clockNow()): number {
  if (/^([0-9]+[dhms])+$/.test(v)) return now - parseDuration(v);
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t)) throw new SentraError('ERR_USAGE', `"${v}" is neither a duration like 7d nor a date`);
  return t;
}

export function runSignals(opts: DaemonOptions & { since: string; until?: string; band?: string; host?: string; format: string }): number {
  if (opts.band && !['info', 'low', 'medium', 'high'].includes(opts.band)) {
    throw new SentraError('ERR_USAGE', `--band must be one of info, low, medium, high, not "${opts.band}"`);
  }
  const cfg = resolveConfig(opts);
  const store = new LocalStore(cfg.state_dir, cfg.store);
  const signals = store.query({
    since: parseSince(opts.since), ...(opts.until ? { until: parseSince(opts.until) } : {}),
    ...(opts.band ? { minBand: opts.band as Band } : {}), ...(opts.host ? { host: opts.host } : {}),
  });
  // The current decision (the latest in decisions.jsonl) beside each signal, from `sentra decide` or `sentra ui`.
  const decided = new Map(readDecisions(cfg.state_dir).map((d) => [d.signal_id, d]));
  if (opts.format === 'jsonl') {
    process.stdout.write(signals.map((s) => {
      const d = decided.get(s.id);
      return `${JSON.stringify(d ? { ...s, decision: { status: d.status, by: d.by, at: d.at, note: d.note } } : s)}\n`;
    }).join(''));
  } else {
    for (const s of signals) process.stdout.write(terminal(signalLine(s, decided.get(s.id))));
    process.stdout.write(`${signals.length} signals\n`);
  }
  return EXIT.OK;
}

function signalLine(s: Signal, d?: Decision): string {
  const flag = s.suppressed ? ` [${s.override?.action === 'resolve' ? 'resolved' : 'suppressed'}: ${s.override?.id}]` : s.action_required ? ' [action required]' : '';
  const decision = d ? ` [${d.status} by ${d.by}]` : '';
  return `${s.id}  ${s.first_seen.slice(0, 16).replace('T', ' ')}  ${s.host}  ${s.band.padEnd(6)} ${s.risk.toFixed(2)}  ${s.title}${flag}${decision}\n`;
}
