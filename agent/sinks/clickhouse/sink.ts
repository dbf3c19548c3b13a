// agent/sinks/clickhouse/sink.ts: ships signals (and their evidence) to ClickHouse for fleet analytics.
// Each changed signal is spooled durably first (spool.ts), then sent oldest first; the spool's ack moves
// only once ClickHouse has the rows. What is sent is only what changed: a signal row per new version,
// evidence rows only where they differ from the version before, and of several versions of one signal
// waiting in the spool only the newest signal row. Heartbeat rows say the agent is alive (the fleet
// report lists hosts that went silent). Back-off, jitter and the probe are in retry.ts.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../../config/load.js';
import { RateLimited, type LogFn } from '../../daemon/log.js';
import type { Incident, Signal } from '../../model.js';
import { packageVersion } from '../../paths.js';
import { describeError, isUnreachable, warnPlainHttpOnce } from '../transport.js';
import { clickhouseClient } from './client.js';
import { Backoff, waitWithProbe } from './retry.js';
import { changedEvidence, evidenceRows, signalRow, type EvidenceRow, type HeartbeatRow, type SignalRow } from './rows.js';
import { migrate, serverInfo, type ServerInfo } from './schema.js';
import { Spool, type Overflow, type SpoolStats } from './spool.js';
import { incidentKey, incidentRow, type IncidentRow } from './incident-rows.js';
import { now as clockNow } from '../../clock.js';

export { clickhouseClient } from './client.js';

/** What the sink may read back from the local store: evidence owed by a full spool, and a re-send. */
export interface StoreReader {
  latest(ids: ReadonlySet<string>): Map<string, Signal>;
  since(ms: number): Signal[];
  /** Incidents whose last step is at or after `ms`, for a re-send after refused records. */
  incidentsSince?(ms: number): Incident[];
}

export interface HeartbeatFacts {
  host: string;
  state: string;
  last_event: number | null;
  lag_seconds: number;
}

export interface ShipOptions {
  store?: StoreReader;
  heartbeat?: () => HeartbeatFacts;
  now?: () => number;
  random?: () => number;
  /** The back-off's first and longest wait (default 1 s and 60 s). */
  backoff?: { baseMs: number; maxMs: number };
}

export interface ShipStats {
  sent_batches: number;
  sent_signals: number;
  sent_incidents: number;
  sent_evidence: number;
  /** Signal rows not sent because a newer version of the same signal was spooled behind them. */
  skipped_superseded: number;
  evidence_from_store: number;
  evidence_lost: number;
  resent_from_store: number;
  heartbeats: number;
  failures: number;
  last_error: string | null;
  last_sent_at: string | null;
  server_version: string | null;
  spool: SpoolStats;
  overflow: Overflow | null;
}

const MAX_BACKOFF_MS = 60_000;
const key = (tenant: string, host: string, id: string): string => `${tenant}\u0001${host}\u0001${id}`;

export class ClickHouseSink {
  private readonly spool: Spool;
  private client: ClickHouseClient | undefined;
  private info: ServerInfo | undefined;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private lastVersion: number;
  private lastHeartbeat = 0;
  private lastErrorUnreachable = false;
  private readonly backoff: Backoff;
  private readonly limited: RateLimited;
  private readonly now: () => number;
  readonly stats: ShipStats;

  constructor(private readonly cfg: Config['clickhouse'], stateDir: string, private readonly retentionDays: number,
    private readonly log: LogFn, private readonly opts: ShipOptions = {}) {
    this.spool = new Spool(stateDir, cfg.spool_max_mb * 1024 * 1024);
    this.lastVersion = this.spool.lastVersion;
    this.now = opts.now ?? clockNow;
    this.backoff = new Backoff({ baseMs: 1000, maxMs: MAX_BACKOFF_MS, ...opts.backoff, ...(opts.random ? { random: opts.random } : {}) });
    this.limited = new RateLimited(log, 5 * 60_000);
    this.stats = { sent_batches: 0, sent_signals: 0, sent_incidents: 0, sent_evidence: 0, skipped_superseded: 0, evidence_from_store: 0, evidence_lost: 0,
      resent_from_store: 0, heartbeats: 0, failures: 0, last_error: null, last_sent_at: null, server_version: null,
      spool: this.spool.stats, overflow: this.spool.overflow };
    warnPlainHttpOnce(cfg.url, 'clickhouse.url', log);
    const legacy = this.spool.legacy;
    if (legacy.batches) log('info', `took over ${legacy.records} signal versions from ${legacy.batches} batches of the 0.1 ClickHouse spool`);
    if (legacy.unreadable.length) {
      log('warn', `${legacy.unreadable.length} batch files of the 0.1 ClickHouse spool cannot be read and stay in ${this.spool.dir}: `
        + `${legacy.unreadable.slice(0, 3).join(', ')}; their signals are still in the local store`);
    }
  }

  /**
   * Spools the changed signals durably. `previous` gives the version stored before (the local store's),
   * so only evidence that changed is spooled. Versions grow even within one millisecond.
   */
  enqueue(signals: readonly Signal[], previous: (id: string) => Signal | undefined = () => undefined): void {
    const outcomes = this.spool.addAll(signals.map((s) => {
      const version = (this.lastVersion = Math.max(this.now(), this.lastVersion + 1));
      return { k: key(this.cfg.tenant, s.host, s.id), v: version, ls: Date.parse(s.last_seen), s: signalRow(s, this.cfg.tenant, version),
        e: changedEvidence(s, previous(s.id), this.cfg.tenant, version) };
    }));
    const owed = outcomes.filter((o) => o === 'evidence-owed').length;
    const refused = outcomes.filter((o) => o === 'refused').length;
    this.stats.overflow = this.spool.overflow;
    if (owed || refused) {
      this.limited.warn('clickhouse-spool', `the ClickHouse spool is full (${this.cfg.spool_max_mb} MB): `
        + `${refused ? `${refused} signals wait in the local store and will be re-sent from it` : `the evidence of ${owed} signals waits in the local store`}; nothing is dropped`,
      { spool_bytes: this.spool.stats.bytes });
    }
    if (this.backoff.failures === 0) this.wake?.(); // during a back-off, new work waits for it
  }

  /** Spools the changed incidents durably, with the same guarantees as signals (they go out in spool order). */
  enqueueIncidents(incidents: readonly Incident[]): void {
    if (incidents.length === 0) return;
    const outcomes = this.spool.addAll(incidents.map((i) => {
      const version = (this.lastVersion = Math.max(this.now(), this.lastVersion + 1));
      return { k: incidentKey(this.cfg.tenant, i.id), v: version, ls: Date.parse(i.last_seen), i: incidentRow(i, this.cfg.tenant, version), e: [] };
    }));
    this.stats.overflow = this.spool.overflow;
    if (outcomes.includes('refused')) {
      this.limited.warn('clickhouse-spool', `the ClickHouse spool is full (${this.cfg.spool_max_mb} MB): `
        + `${outcomes.filter((o) => o === 'refused').length} incidents wait in the local store and will be re-sent from it; nothing is dropped`);
    }
    if (this.backoff.failures === 0) this.wake?.();
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops sending; what is still spooled stays on disk and goes out after the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    // A send in flight may wait for its request timeout; shutdown must stay within a few seconds.
    await Promise.race([this.loop, new Promise((r) => setTimeout(r, 2000))]);
    await this.client?.close().catch(() => undefined);
  }

  /** Sends everything spooled (and a pending re-send from the store); true when all of it is in ClickHouse. */
  async drain(): Promise<boolean> {
    try {
      for (let batch = this.spool.read(this.cfg.batch_size); batch.records.length > 0; batch = this.spool.read(this.cfg.batch_size)) {
        const client = await this.connect();
        const signals: SignalRow[] = [];
        const incidents: IncidentRow[] = [];
        const evidence: EvidenceRow[] = [];
        const owedIds = new Set<string>();
        for (const r of batch.records) {
          if (this.spool.superseded(r)) this.stats.skipped_superseded++;
          else if (r.i) incidents.push(r.i);
          else if (r.s) signals.push(r.s);
          evidence.push(...r.e);
          if (r.o && r.s) owedIds.add(r.s.id);
        }
        evidence.push(...this.owedEvidence(batch.records.filter((r): r is typeof r & { s: SignalRow } => r.o !== undefined && r.s !== undefined), owedIds));
        await this.insert(client, signals, evidence, incidents);
        this.spool.acknowledge(batch);
      }
      if (this.spool.overflow) await this.resendFromStore(this.spool.overflow);
      await this.heartbeat(false);
      return true;
    } catch (err) {
      this.stats.failures++;
      this.stats.last_error = describeError(err);
      this.lastErrorUnreachable = isUnreachable(err);
      this.info = undefined; // reconnect and re-check the schema after a failure
      return false;
    }
  }

  private async insert(client: ClickHouseClient, signals: SignalRow[], evidence: EvidenceRow[], incidents: IncidentRow[] = []): Promise<void> {
    const db = this.cfg.database;
    if (signals.length) await client.insert({ table: `${db}.signals`, format: 'JSONEachRow', values: signals });
    if (evidence.length) await client.insert({ table: `${db}.evidence`, format: 'JSONEachRow', values: evidence });
    // Incidents after the signals they name, so a reader never finds an incident without its signals.
    if (incidents.length) await client.insert({ table: `${db}.incidents`, format: 'JSONEachRow', values: incidents });
    this.stats.sent_incidents += incidents.length;
    this.stats.sent_batches++;
    this.stats.sent_signals += signals.length;
    this.stats.sent_evidence += evidence.length;
    this.stats.last_sent_at = new Date(this.now()).toISOString();
    this.stats.last_error = null;
  }

  /** Evidence that a full spool left in the local store, read back for the records that owe it. */
  private owedEvidence(records: Array<{ s: SignalRow; v: number }>, ids: ReadonlySet<string>): EvidenceRow[] {
    if (records.length === 0) return [];
    const found = this.opts.store?.latest(ids) ?? new Map<string, Signal>();
    const out: EvidenceRow[] = [];
    for (const r of records) {
      const s = found.get(r.s.id);
      if (s && s.host === r.s.host) out.push(...evidenceRows(s, this.cfg.tenant, r.v));
      else this.stats.evidence_lost++;
    }
    this.stats.evidence_from_store += out.length;
    if (this.stats.evidence_lost > 0) {
      this.limited.warn('clickhouse-evidence', `${this.stats.evidence_lost} signals' evidence was owed by the full spool and is no longer in the local store`);
    }
    return out;
  }

  /** After refused records: every stored signal seen since the first refused one, with all its evidence. */
  private async resendFromStore(overflow: Overflow): Promise<void> {
    if (!this.opts.store) {
      this.log('warn', `${overflow.refused} signals were refused by the full ClickHouse spool and no local store holds them; they are not in ClickHouse`);
      this.spool.clearOverflow();
      return;
    }
    const signals = this.opts.store.since(overflow.since).filter((s) => s.host !== undefined);
    const client = await this.connect();
    for (let i = 0; i < signals.length; i += this.cfg.batch_size) {
      const part = signals.slice(i, i + this.cfg.batch_size);
      const rows = part.map((s) => signalRow(s, this.cfg.tenant, (this.lastVersion = Math.max(this.now(), this.lastVersion + 1))));
      await this.insert(client, rows, part.flatMap((s, j) => evidenceRows(s, this.cfg.tenant, rows[j]!.version)));
    }
    const incidents = this.opts.store.incidentsSince?.(overflow.since) ?? [];
    for (let i = 0; i < incidents.length; i += this.cfg.batch_size) {
      await this.insert(client, [], [], incidents.slice(i, i + this.cfg.batch_size)
        .map((x) => incidentRow(x, this.cfg.tenant, (this.lastVersion = Math.max(this.now(), this.lastVersion + 1)))));
    }
    this.stats.resent_from_store += signals.length;
    this.log('info', `re-sent ${signals.length} signals from the local store after the ClickHouse spool was full`);
    this.spool.clearOverflow();
    this.stats.overflow = null;
  }

  /** One row per heartbeat_seconds (or now, when forced) saying this agent is alive and how it is doing. */
  async heartbeat(force: boolean): Promise<void> {
    const facts = this.opts.heartbeat?.();
    if (!facts) return;
    const now = this.now();
    if (!force && now - this.lastHeartbeat < this.cfg.heartbeat_seconds * 1000) return;
    const client = await this.connect();
    const sp = this.spool.stats;
    const row: HeartbeatRow = {
      tenant: this.cfg.tenant, host: facts.host, at: Math.floor(now / 1000), agent_version: packageVersion(), state: facts.state,
      last_event: facts.last_event ? Math.floor(facts.last_event / 1000) : 0, lag_seconds: facts.lag_seconds,
      spool_records: sp.records, spool_bytes: sp.bytes, evidence_owed: sp.evidence_owed, refused: sp.refused,
    };
    await client.insert({ table: `${this.cfg.database}.heartbeats`, format: 'JSONEachRow', values: [row] });
    this.lastHeartbeat = now;
    this.stats.heartbeats++;
  }

  private async connect(): Promise<ClickHouseClient> {
    this.client ??= clickhouseClient(this.cfg);
    if (!this.info) {
      const rows = await (await this.client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>();
      const info = serverInfo(rows[0]!.v);
      if (this.cfg.migrate) {
        const applied = await migrate(this.client, this.cfg.database, info, this.retentionDays, this.now());
        if (applied.length) this.log('info', `ClickHouse ${info.version}: applied schema migrations ${applied.join(', ')}`);
      }
      this.info = info;
      this.stats.server_version = info.version;
    }
    return this.client;
  }

  private async probe(): Promise<boolean> {
    this.client ??= clickhouseClient(this.cfg);
    return (await this.client.ping()).success;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const ok = await this.drain();
      if (!this.running) break;
      if (ok) {
        if (this.backoff.failures > 0) {
          this.log('info', `ClickHouse takes inserts again after ${this.backoff.failures} failed attempts; the spool is drained`);
          this.backoff.reset();
        }
        await this.sleep(this.cfg.flush_seconds * 1000);
        continue;
      }
      const delay = this.backoff.next();
      this.limited.warn('clickhouse', `ClickHouse ${this.lastErrorUnreachable ? 'unreachable' : 'refuses inserts'} (${this.stats.last_error}); `
        + `${this.spool.stats.records} signals spooled (${(this.spool.stats.bytes / 1048576).toFixed(1)} MB); next try within ${Math.ceil(delay / 1000)} s`);
      const probe = this.lastErrorUnreachable ? () => this.probe() : null;
      await waitWithProbe(delay, this.cfg.probe_seconds * 1000, probe, () => !this.running);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.wake = undefined; resolve(); }, ms);
      this.wake = () => { clearTimeout(t); this.wake = undefined; resolve(); };
    });
  }
}
