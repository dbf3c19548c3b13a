// agent/daemon/agent.ts: `sentra agent`, the long-lived service. Sources feed the same Pipeline as
// `sentra scan`; every few seconds a commit stores the changed signals (durably) and only then saves the
// source positions together with the aggregation state, so a crash at any point loses and repeats nothing.
// SIGHUP (or an edit of overrides.json) reloads rules and overrides, keeping the last good ones on error;
// SIGTERM flushes, checkpoints and exits 0.
import { watch, type FSWatcher } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import type { Config } from '../config/load.js';
import { loadRules, type RuleSet } from '../match/load-rules.js';
import type { RawLine, Signal } from '../model.js';
import { recordOverrides } from '../override/history.js';
import { errorText } from '../redact.js';
import { EMPTY_OVERRIDES, loadOverrides, type OverrideSet } from '../override/load.js';
import { localTimeZone } from '../parse/clock.js';
import { Parser } from '../parse/parse.js';
import { bundledRulesDir, packageVersion } from '../paths.js';
import { Pipeline } from '../pipeline.js';
import type { Checkpoint, LiveSource } from '../sources/source.js';
import { ensureDir } from '../store/atomic.js';
import { LocalStore } from '../store/local-store.js';
import { IncidentStore } from '../store/incidents.js';
import { settleIncidents } from './incidents.js';
import { readState, setAside, writeState } from './checkpoint.js';
import { RateLimited, type LogFn } from './log.js';
import { buildSources } from './sources.js';
import type { WeeklyMail } from './weekly-mail.js';
import type { ClickHouseSink } from '../sinks/clickhouse/sink.js';
import type { Notifier } from '../sinks/notify/notifier.js';
import { writeStatus, type AgentStatus } from './status.js';
import { TodayCounts } from './today.js';
import { statusWarnings } from './warnings.js';
import { now, nowDate } from '../clock.js';

export class Agent {
  private rules!: RuleSet;
  private overrides: OverrideSet = EMPTY_OVERRIDES;
  private pipeline!: Pipeline;
  private store!: LocalStore;
  private incidents!: IncidentStore;
  private sources: LiveSource[] = [];
  private readonly parsers = new Map<string, Parser>();
  private positions: Record<string, Checkpoint> = {};
  private chain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private dirty = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private watcher: FSWatcher | undefined;
  private readonly limited: RateLimited;
  private readonly started = nowDate();
  private lastCheckpoint: Date | null = null;
  /** A config.yaml refused on SIGHUP, and settings changed that wait for a restart. */
  private configError: string | null = null;
  private restartNeeded: string[] = [];
  /** Signals a failed commit could not store, kept for the next one. */
  private unstored: Signal[] = [];
  /** Why the last commit did not complete, until one does. */
  private commitError: string | null = null;
  private rulesError: string | null = null;
  private overridesError: string | null = null;
  private readonly today = new TodayCounts();
  private stopping: Promise<void> | undefined;
  private lastUnparsed = 0;
  private mail: WeeklyMail | undefined;
  private metrics: import('node:http').Server | undefined;
  private ship: ClickHouseSink | undefined;
  private notifier: Notifier | undefined;

  constructor(private cfg: Config, private readonly log: LogFn) {
    this.limited = new RateLimited(log);
  }

  /** Starts everything; resolves once sources are running. Throws SentraError on bad rules or overrides. */
  async start(): Promise<void> {
    ensureDir(this.cfg.state_dir);
    this.rules = loadRules([bundledRulesDir(), ...this.cfg.rules_dirs]);
    if (this.cfg.overrides) this.overrides = loadOverrides(this.cfg.overrides);
    this.store = new LocalStore(this.cfg.state_dir, this.cfg.store);
    this.incidents = new IncidentStore(this.cfg.state_dir);
    // Today's incidents stored before a restart still count as today's in status.
    this.today.noteIncidents(this.incidents.query({ since: Date.parse(`${nowDate().toISOString().slice(0, 10)}T00:00:00Z`) }));
    recordOverrides(this.cfg.state_dir, this.overrides);
    for (const note of this.store.maintain()) this.log('info', note);
    let saved = readState(this.cfg.state_dir, (m) => this.log('error', m));
    if (saved && saved.rules_version !== this.rules.version) {
      this.log('info', `rules changed since the last run (${saved.rules_version} → ${this.rules.version}); new lines use the new rules`);
    }
    this.positions = saved?.sources ?? {};
    if (this.cfg.notify.enabled) {
      const { Notifier } = await import('../sinks/notify/notifier.js');
      this.notifier = new Notifier(this.cfg.notify, this.cfg.state_dir, this.log);
    }
    if (this.cfg.clickhouse.enabled) {
      const { ClickHouseSink } = await import('../sinks/clickhouse/sink.js');
      const store = this.store;
      this.ship = new ClickHouseSink(this.cfg.clickhouse, this.cfg.state_dir, this.cfg.store.retention_days, this.log, {
        store: { latest: (ids) => store.latest(ids), since: (ms) => store.query({ since: ms }),
          incidentsSince: (ms) => this.incidents.query({ since: ms }) },
        heartbeat: () => this.heartbeat(),
      });
      this.ship.start();
    }
    try {
      this.pipeline = new Pipeline({ rules: this.rules, detection: this.cfg.detection, overrides: this.overrides, state: saved?.aggregation });
    } catch (err) {
      // An aggregation state that does not decode must not stop every start (a restart loop): set it aside.
      setAside(this.cfg.state_dir, `its aggregation state does not decode: ${errorText(err)}`, (m) => this.log('error', m));
      saved = undefined;
      this.positions = {};
      this.pipeline = new Pipeline({ rules: this.rules, detection: this.cfg.detection, overrides: this.overrides });
    }
    this.sources = buildSources(this.cfg, this.rules, this.positions, this.log);
    const timeZone = this.cfg.timezone ?? localTimeZone();
    for (const s of this.sources) {
      // Lines that name no host (audit.log, host-less syslog) are this host's, as rsyslog names it (short).
      this.parsers.set(s.name, new Parser({ years: { kind: 'now' }, timeZone, defaultHost: hostname().split('.')[0] || 'localhost',
        ...(this.cfg.host ? { host: this.cfg.host } : {}) }));
      await s.start((batch, cp) => this.deliver(s, batch, cp));
    }
    this.timers.push(setInterval(() => void this.serial(() => this.commit()), this.cfg.agent.checkpoint_seconds * 1000));
    this.timers.push(setInterval(() => this.writeStatusSafe('running'), this.cfg.agent.status_seconds * 1000));
    this.timers.push(setInterval(() => this.housekeeping(), 60_000));
    this.watchOverrides();
    if (this.cfg.email.enabled) {
      // Loaded only when used: the report, mail and AI libraries are most of the agent's memory otherwise.
      const { WeeklyMail } = await import('./weekly-mail.js');
      this.mail = new WeeklyMail(this.cfg, this.store, () => this.overrides, this.log);
      this.mail.start(saved ? new Date(saved.saved_at) : undefined);
    }
    this.writeStatusSafe('running');
    if (this.cfg.metrics.listen) {
      // Optional and outside the data path: a port in use is said, not fatal.
      const { startMetrics } = await import('./metrics.js');
      this.metrics = await startMetrics(this.cfg.metrics.listen, () => this.status('running'), this.log)
        .catch((err: Error) => { this.log('warn', `metrics endpoint not started on ${this.cfg.metrics.listen}: ${err.message}`); return undefined; });
    }
    this.log('info', `sentra ${packageVersion()} started`, { rules: this.rules.rules.length, rules_version: this.rules.version,
      overrides: this.overrides.overrides.length, state_dir: this.cfg.state_dir, resumed: saved !== undefined });
  }

  /** Runs `fn` after everything queued before it: batches, commits and reloads never interleave. */
  private serial<T>(fn: () => T | Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch((err: unknown) => this.log('error', `internal error: ${(err as Error).stack ?? String(err)}`));
    return next;
  }

  private deliver(source: LiveSource, batch: RawLine[], cp: Checkpoint): Promise<void> {
    return this.serial(() => {
      this.pipeline.feed(batch, this.parsers.get(source.name)!);
      this.positions[source.name] = cp;
      this.pending += batch.length;
      this.dirty = true;
      if (this.pending >= this.cfg.agent.commit_every_lines) this.commit();
    });
  }

  /**
   * Signals first (durable), then positions and aggregation state (atomic): never the other way round. When
   * the store cannot take them (a full disk, an immutable file), nothing moves: the signals wait in memory,
   * the checkpoint stays where it was, status says so, and the next commit tries again.
   */
  private commit(): void {
    if (!this.dirty) return;
    // Signals that could not be stored last time first; a newer version of the same id replaces them.
    const byId = new Map<string, Signal>();
    for (const s of [...this.unstored, ...this.pipeline.drain(), ...this.pipeline.snapshot()]) byId.set(s.id, s);
    const settled = settleIncidents(this.pipeline, [...byId.values()], this.store);
    const signals = settled.signals;
    const changed = this.store.changed(signals);
    // Spool before storing: a crash in between re-derives the same signals and spools them again (a
    // duplicate version that ClickHouse collapses), whereas the other order could lose a change.
    try {
      this.ship?.enqueue(changed, (id) => this.store.previous(id));
    } catch (err) {
      this.limited.warn('spool', `cannot spool signals for ClickHouse: ${errorText(err)}; they stay in the local store`);
    }
    try {
      this.store.append(changed);
    } catch (err) {
      this.unstored = signals;
      this.commitError = `cannot store signals in ${this.cfg.state_dir}: ${errorText(err)}; ${signals.length} kept in memory, the checkpoint waits`;
      this.limited.warn('store', this.commitError);
      return;
    }
    this.unstored = [];
    this.notifier?.consider(changed);
    // Incidents after their signals: a crash in between re-derives them from the same signals.
    try {
      const stories = this.incidents.changed(settled.incidents);
      this.ship?.enqueueIncidents(stories);
      this.incidents.append(stories);
      this.notifier?.considerIncidents(stories);
      this.today.noteIncidents(stories);
    } catch (err) {
      this.commitError = `cannot store incidents in ${this.cfg.state_dir}: ${errorText(err)}; the checkpoint waits`;
      this.limited.warn('incidents', this.commitError);
      return;
    }
    try {
      writeState(this.cfg.state_dir, {
        version: 1, saved_at: nowDate().toISOString(), rules_version: this.rules.version,
        sources: this.positions, aggregation: this.pipeline.saveState(),
      });
    } catch (err) {
      this.commitError = `cannot save state.json in ${this.cfg.state_dir}: ${errorText(err)}; signals are stored, the checkpoint waits`;
      this.limited.warn('state', this.commitError);
      return;
    }
    if (this.commitError) this.log('info', 'storing and checkpointing again', { after: this.commitError });
    this.commitError = null;
    this.today.note(signals);
    this.pending = 0;
    this.dirty = false;
    this.lastCheckpoint = nowDate();
    if (changed.length > 0) this.log('debug', `stored ${changed.length} new or updated signals`);
  }

  /** What the heartbeat row says: this host, how far it has read, how far behind its sources are. */
  private heartbeat(): { host: string; state: string; last_event: number | null; lag_seconds: number } {
    const newest = this.pipeline?.stats.newestEvent ?? 0;
    const lag = Math.max(0, ...this.sources.map((s) => s.stats.lag.seconds ?? 0));
    return { host: this.cfg.host ?? hostname(), state: this.stopping ? 'stopping' : 'running', last_event: newest || null, lag_seconds: lag };
  }

  /**
   * SIGHUP with config.yaml read again: a config that does not validate is refused and the last good one stays
   * in force (said in the log and in status); of a valid one, what can change live (rules_dirs, overrides,
   * log_level) takes effect now and the rest is named as waiting for a restart. Then rules and overrides reload.
   */
  reloadConfig(next: Config | Error): Promise<void> {
    if (next instanceof Error) {
      this.configError = `config.yaml refused, the last good one stays in force: ${errorText(next, 500)}`;
      this.log('error', this.configError);
      return this.reload('all');
    }
    this.configError = null;
    const live = new Set(['rules_dirs', 'overrides', 'log_level']);
    const changed = (Object.keys(next) as Array<keyof Config>).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(this.cfg[k]));
    const later = changed.filter((k) => !live.has(k));
    this.cfg = Object.freeze({ ...this.cfg, rules_dirs: next.rules_dirs, overrides: next.overrides, log_level: next.log_level });
    this.restartNeeded = [...new Set([...this.restartNeeded, ...later])];
    this.log('info', changed.length === 0 ? 'config.yaml reloaded: no change'
      : `config.yaml reloaded: ${changed.filter((k) => live.has(k)).join(', ') || 'nothing'} applied now`
        + `${later.length ? `; changes to ${later.join(', ')} take effect at the next restart (systemctl restart sentra)` : ''}`);
    return this.reload('all');
  }

  /** SIGHUP: new rules and overrides, or the reason they were refused; state and positions are kept. */
  reload(what: 'all' | 'overrides' = 'all'): Promise<void> {
    return this.serial(() => {
      if (what === 'all') {
        try {
          const rules = loadRules([bundledRulesDir(), ...this.cfg.rules_dirs]);
          this.pipeline.setRules(rules);
          this.rules = rules;
          this.rulesError = null;
          this.log('info', `rules reloaded: ${rules.rules.length} rules, version ${rules.version}`);
        } catch (err) {
          this.rulesError = (err as Error).message;
          this.log('error', `new rules refused, the previous ones stay in force: ${this.rulesError}`);
        }
      }
      if (!this.cfg.overrides) return;
      try {
        const o = loadOverrides(this.cfg.overrides);
        this.pipeline.setOverrides(o);
        this.overrides = o;
        recordOverrides(this.cfg.state_dir, o);
        this.overridesError = null;
        this.log('info', `overrides reloaded: ${o.overrides.length} entries from ${o.file}`);
      } catch (err) {
        this.overridesError = (err as Error).message;
        this.log('error', `new overrides refused, the previous ones stay in force: ${this.overridesError}`);
      }
      this.writeStatusSafe('running');
    });
  }

  private watchOverrides(): void {
    if (!this.cfg.overrides) return;
    const file = basename(this.cfg.overrides);
    let timer: NodeJS.Timeout | undefined;
    try {
      // Watch the directory: editors replace the file, which ends a watch on the file itself.
      this.watcher = watch(dirname(this.cfg.overrides), (_event, name) => {
        if (name !== file) return;
        clearTimeout(timer);
        timer = setTimeout(() => void this.reload('overrides'), 300);
      });
    } catch (err) {
      this.log('warn', `cannot watch ${this.cfg.overrides} for changes (${(err as Error).message}); use SIGHUP to reload`);
    }
  }

  private housekeeping(): void {
    const s = this.pipeline.stats;
    if (s.unparsed > this.lastUnparsed) {
      this.limited.warn('unparsed', `${s.unparsed - this.lastUnparsed} lines could not be parsed in the last minute`, { reasons: s.unparsedReasons });
      this.lastUnparsed = s.unparsed;
    }
    for (const w of this.silenceWarnings()) this.limited.warn('silence', w);
    void this.serial(() => {
      for (const note of [...this.store.maintain(), ...this.incidents.maintain(this.cfg.store.retention_days)]) this.log('info', note);
    });
  }

  private silenceWarnings(): string[] {
    const limit = this.cfg.sources.silence_warning_minutes * 60_000;
    const newest = Math.max(this.started.getTime(), ...this.sources.map((s) => s.stats.last_line_at ?? 0));
    const t = now();
    if (t - newest < limit) return [];
    return [`no authentication log lines from any source for ${Math.round((t - newest) / 60_000)} minutes `
      + `(${this.sources.map((s) => `${s.name}: ${s.stats.state}${s.stats.detail ? `, ${s.stats.detail}` : ''}`).join('; ') || 'no sources'}); `
      + 'check that the service user can read the journal (group systemd-journal) or /var/log/auth.log (group adm)'];
  }

  private writeStatusSafe(state: AgentStatus['state']): void {
    try {
      writeStatus(this.cfg.state_dir, this.status(state));
    } catch (err) {
      this.limited.warn('status', `cannot write status.json: ${(err as Error).message}`);
    }
  }

  status(state: AgentStatus['state']): AgentStatus {
    const p = this.pipeline.stats;
    for (const src of this.sources) {
      if ('lagBytes' in src && typeof src.lagBytes === 'function') src.stats.lag = { bytes: (src.lagBytes as () => number)() };
    }
    return {
      pid: process.pid, version: packageVersion(), state, started_at: this.started.toISOString(), updated_at: nowDate().toISOString(),
      status_every_seconds: this.cfg.agent.status_seconds, state_dir: this.cfg.state_dir,
      rules: { version: this.rules.version, count: this.rules.rules.length, files: this.rules.files.length, last_error: this.rulesError },
      overrides: { file: this.cfg.overrides ?? null, count: this.overrides.overrides.length, last_error: this.overridesError },
      sources: this.sources.map((s) => ({ name: s.name, ...s.stats })),
      pipeline: { read: p.read, parsed: p.parsed, matched: p.matched, unmatched: p.unmatched, unparsed: p.unparsed,
        truncated: p.truncated, late: p.late, ahead: p.ahead, unparsed_reasons: p.unparsedReasons },
      last_checkpoint_at: this.lastCheckpoint?.toISOString() ?? null,
      ...this.today.summary(),
      store: { ...this.store.stats },
      clickhouse: this.ship ? { ...this.ship.stats, spool: { ...this.ship.stats.spool } } : null,
      notifications: this.notifier?.stats() ?? [],
      degraded: [...(this.commitError ? [this.commitError] : []),
        ...this.sources.filter((src) => src.stats.state === 'failed').map((src) => `source ${src.name} failed: ${src.stats.detail}`)],
      warnings: statusWarnings({
        silence: this.silenceWarnings(), notifications: this.notifier?.stats() ?? [], configError: this.configError, restartNeeded: this.restartNeeded,
        ahead: p.ahead, late: p.late, lateDays: this.cfg.detection.limits.late_days, rulesError: this.rulesError, overridesError: this.overridesError,
      }),
    };
  }

  /** SIGTERM: stop reading, store what was read, checkpoint, write a final status. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.log('info', 'stopping');
      this.writeStatusSafe('stopping');
      for (const t of this.timers) clearInterval(t);
      this.metrics?.close();
      this.mail?.stop();
      this.watcher?.close();
      await Promise.all(this.sources.map((s) => s.stop()));
      await this.serial(() => this.commit());
      await this.ship?.stop();
      // Deliveries under way get a moment; what is still queued stays in the outboxes for the next start.
      await Promise.race([this.notifier?.idle(), new Promise((r) => setTimeout(r, 2000))]);
      this.notifier?.stop();
      this.writeStatusSafe('stopped');
      this.log('info', 'stopped', { checkpoint: this.lastCheckpoint?.toISOString() ?? null });
    })();
    return this.stopping;
  }
}
