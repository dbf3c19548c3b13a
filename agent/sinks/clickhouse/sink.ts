// agent/sinks/clickhouse/sink.ts: ships signals (and their evidence) to ClickHouse for fleet analytics.
// Signals are spooled durably first, then sent oldest batch first with exponential back-off on any error;
// a batch leaves the spool only once ClickHouse has it. The schema is migrated on first contact.
import { readFileSync } from 'node:fs';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../../config/load.js';
import type { LogFn } from '../../daemon/log.js';
import type { Signal } from '../../model.js';
import { evidenceRows, signalRow } from './rows.js';
import { migrate, serverInfo, type ServerInfo } from './schema.js';
import { Spool, type SpoolStats } from './spool.js';

export interface ShipStats {
  sent_batches: number;
  sent_signals: number;
  sent_evidence: number;
  failures: number;
  last_error: string | null;
  last_sent_at: string | null;
  server_version: string | null;
  spool: SpoolStats;
}

export function clickhouseClient(cfg: Config['clickhouse']): ClickHouseClient {
  const password = cfg.password_file ? readFileSync(cfg.password_file, 'utf8').trim() : '';
  return createClient({
    url: cfg.url, username: cfg.user, password, request_timeout: cfg.request_timeout_ms,
    log: { level: ClickHouseLogLevel.OFF }, // errors reach Sentra's own log, once, with context
  });
}

export class ClickHouseSink {
  private readonly spool: Spool;
  private client: ClickHouseClient | undefined;
  private info: ServerInfo | undefined;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private lastVersion = 0;
  readonly stats: ShipStats;

  constructor(private readonly cfg: Config['clickhouse'], stateDir: string, private readonly retentionDays: number,
    private readonly log: LogFn) {
    this.spool = new Spool(stateDir, cfg.spool_max_mb * 1024 * 1024);
    this.stats = { sent_batches: 0, sent_signals: 0, sent_evidence: 0, failures: 0, last_error: null, last_sent_at: null,
      server_version: null, spool: this.spool.stats };
  }

  /** Spools the signals (durably), in batches of batch_size. Versions grow even within one millisecond. */
  enqueue(signals: readonly Signal[]): void {
    for (let i = 0; i < signals.length; i += this.cfg.batch_size) {
      const part = signals.slice(i, i + this.cfg.batch_size);
      const version = (this.lastVersion = Math.max(Date.now(), this.lastVersion + 1));
      this.spool.add(part.map((s) => signalRow(s, this.cfg.tenant, version)), part.flatMap((s) => evidenceRows(s, this.cfg.tenant, version)));
    }
    if (this.spool.stats.over_limit) this.log('warn', 'the ClickHouse spool is over its size limit with signals only; none are dropped');
    this.wake?.();
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

  /** Sends everything spooled; resolves true when the spool is empty, false at the first error. */
  async drain(): Promise<boolean> {
    for (let batch = this.spool.peek(); batch; batch = this.spool.peek()) {
      try {
        const client = await this.connect();
        const db = this.cfg.database;
        if (batch.signals.length) await client.insert({ table: `${db}.signals`, format: 'JSONEachRow', values: batch.signals });
        if (batch.evidence.length) await client.insert({ table: `${db}.evidence`, format: 'JSONEachRow', values: batch.evidence });
        this.spool.remove(batch.seq);
        this.stats.sent_batches++;
        this.stats.sent_signals += batch.signals.length;
        this.stats.sent_evidence += batch.evidence.length;
        this.stats.last_sent_at = new Date().toISOString();
        this.stats.last_error = null;
      } catch (err) {
        this.stats.failures++;
        this.stats.last_error = (err as Error).message.split('\n')[0]!.slice(0, 300);
        this.info = undefined; // reconnect and re-check the schema after a failure
        return false;
      }
    }
    return true;
  }

  private async connect(): Promise<ClickHouseClient> {
    this.client ??= clickhouseClient(this.cfg);
    if (!this.info) {
      const rows = await (await this.client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>();
      const info = serverInfo(rows[0]!.v);
      const applied = await migrate(this.client, this.cfg.database, info, this.retentionDays);
      if (applied.length) this.log('info', `ClickHouse ${info.version}: applied schema migrations ${applied.join(', ')}`);
      this.info = info;
      this.stats.server_version = info.version;
    }
    return this.client;
  }

  private async run(): Promise<void> {
    let backoff = 1000;
    while (this.running) {
      const ok = await this.drain();
      if (!this.running) break;
      if (ok) {
        backoff = 1000;
        await this.sleep(this.cfg.flush_seconds * 1000);
      } else {
        this.log('warn', `ClickHouse unreachable or refusing inserts (${this.stats.last_error}); ${this.spool.stats.batches} batches spooled, retrying in ${backoff} ms`);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 60_000);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.wake = undefined; resolve(); }, ms);
      this.wake = () => { clearTimeout(t); this.wake = undefined; resolve(); };
    });
  }
}
