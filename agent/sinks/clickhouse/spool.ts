// agent/sinks/clickhouse/spool.ts: the durable queue between the agent and ClickHouse, under
// state_dir/spool. Every batch is written (fsync) before any send is tried, sent in order, and removed only
// once ClickHouse accepted it, so nothing is lost across crashes or outages. Rows carry their version, so
// sending a batch twice (a retry, a replay after a crash) adds no visible duplicate. The spool is bounded:
// past the limit the evidence of the oldest batches goes first; signals are never dropped.
import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../store/atomic.js';
import type { EvidenceRow, SignalRow } from './rows.js';

export interface Batch {
  seq: number;
  signals: SignalRow[];
  evidence: EvidenceRow[];
}

export interface SpoolStats {
  batches: number;
  bytes: number;
  dropped_evidence_rows: number;
  over_limit: boolean;
}

const NAME = /^(\d{12})\.json$/;

export class Spool {
  readonly dir: string;
  private seq: number;
  readonly stats: SpoolStats = { batches: 0, bytes: 0, dropped_evidence_rows: 0, over_limit: false };

  constructor(stateDir: string, private readonly maxBytes: number) {
    this.dir = join(stateDir, 'spool');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const names = this.names();
    this.seq = names.length ? Number(NAME.exec(names.at(-1)!)![1]) : 0;
    this.refresh();
  }

  private names(): string[] {
    return readdirSync(this.dir).filter((n) => NAME.test(n)).sort();
  }

  private refresh(): void {
    const names = this.names();
    this.stats.batches = names.length;
    this.stats.bytes = names.reduce((n, f) => n + statSync(join(this.dir, f)).size, 0);
  }

  add(signals: SignalRow[], evidence: EvidenceRow[]): void {
    if (signals.length === 0 && evidence.length === 0) return;
    const batch: Batch = { seq: ++this.seq, signals, evidence };
    writeFileAtomic(join(this.dir, `${String(batch.seq).padStart(12, '0')}.json`), JSON.stringify(batch));
    this.refresh();
    this.enforceLimit();
  }

  /** The oldest batch, or undefined when the spool is empty. */
  peek(): Batch | undefined {
    const first = this.names()[0];
    return first ? JSON.parse(readFileSync(join(this.dir, first), 'utf8')) as Batch : undefined;
  }

  remove(seq: number): void {
    unlinkSync(join(this.dir, `${String(seq).padStart(12, '0')}.json`));
    this.refresh();
  }

  /** Oldest evidence first, never signals; when only signals are left the spool may exceed its limit. */
  private enforceLimit(): void {
    for (const name of this.names()) {
      if (this.stats.bytes <= this.maxBytes) break;
      const path = join(this.dir, name);
      const batch = JSON.parse(readFileSync(path, 'utf8')) as Batch;
      if (batch.evidence.length === 0) continue;
      this.stats.dropped_evidence_rows += batch.evidence.length;
      writeFileAtomic(path, JSON.stringify({ ...batch, evidence: [] }));
      this.refresh();
    }
    this.stats.over_limit = this.stats.bytes > this.maxBytes;
  }
}
