// agent/sinks/clickhouse/spool.ts: the durable queue between the agent and ClickHouse, under
// state_dir/spool, built like Vector's disk buffer: an append-only log of numbered segment files
// (NNNNNNNNNNNN.log, one JSON record per line) and ack.json, the position up to which ClickHouse has
// taken everything. Adding a record is one append with fsync; acknowledging is one small atomic file
// write (and unlinking segments read to the end): both cost the same with 10 records spooled or 100,000.
// A crash at any point loses nothing: a record is on disk before it is sent, and leaves only when the ack
// moves past it; a torn last line (crash mid-append) is skipped and counted.
//
// Full-spool policy (the limit counts signal and evidence bytes alike):
//   1. While the unsent records fit in spool_max_mb, every record keeps its evidence rows.
//   2. When a record does not fit, it is written without its evidence, marked as owed: when ClickHouse
//      takes it, the sink re-reads that signal's evidence from the local store.
//   3. When even the signal row does not fit, the record is refused and overflow.json notes the earliest
//      last_seen of what was refused. Once the spool has drained, the sink re-sends every stored signal
//      seen since then from the local store. Nothing is dropped silently; status shows every step.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { appendDurably, writeFileAtomic } from '../../store/atomic.js';
import type { IncidentRow } from './incident-rows.js';
import type { EvidenceRow, SignalRow } from './rows.js';
import { readLegacySpool } from './spool-legacy.js';

/**
 * One version of one signal (`s`) or of one incident (`i`, with no evidence). `k` is its identity (tenant,
 * host, id; incidents have their own), `o` marks evidence owed from the store.
 */
export interface SpoolRecord {
  q: number;
  k: string;
  v: number;
  ls: number;
  s?: SignalRow;
  i?: IncidentRow;
  e: EvidenceRow[];
  o?: 1;
}

export interface Position {
  segment: number;
  offset: number;
}

export interface ReadBatch {
  records: SpoolRecord[];
  end: Position;
}

export interface SpoolStats {
  records: number;
  bytes: number;
  segments: number;
  /** Records written without their evidence (owed from the local store) since start. */
  evidence_owed: number;
  /** Records refused because even the signal row did not fit, since start. */
  refused: number;
  torn_lines: number;
  /** The spool is past its limit: new evidence waits in the local store, or new records are refused. */
  full: boolean;
}

export interface Overflow {
  since: number;
  refused: number;
}

const SEGMENT = /^(\d{12})\.log$/;
const segName = (n: number): string => `${String(n).padStart(12, '0')}.log`;
const READ_CHUNK = 1 << 20;

export class Spool {
  readonly dir: string;
  private readonly sizes = new Map<number, number>();
  private ack: Position & { seq: number };
  private current: number;
  private seq = 0;
  private newestVersion = 0;
  /** The newest record of each identity still unsent: older ones need not send their signal row. */
  private readonly latest = new Map<string, number>();
  private overflowState: Overflow | null;
  /** What the constructor took over from a 0.1 spool (for the sink's log). */
  legacy: { batches: number; records: number; unreadable: string[] } = { batches: 0, records: 0, unreadable: [] };
  readonly stats: SpoolStats = { records: 0, bytes: 0, segments: 0, evidence_owed: 0, refused: 0, torn_lines: 0, full: false };

  constructor(stateDir: string, private readonly maxBytes: number) {
    this.dir = join(stateDir, 'spool');
    mkdirSync(this.dir, { recursive: true, mode: 0o750 });
    this.ack = this.readAck();
    for (const name of readdirSync(this.dir)) {
      const m = SEGMENT.exec(name);
      if (!m) continue;
      const n = Number(m[1]);
      if (n < this.ack.segment) unlinkSync(join(this.dir, name)); // fully acknowledged before a crash
      else this.sizes.set(n, statSync(join(this.dir, name)).size);
    }
    this.current = Math.max(this.ack.segment, ...this.sizes.keys());
    if (!this.sizes.has(this.current)) this.sizes.set(this.current, 0);
    this.seq = this.ack.seq;
    this.overflowState = this.readJson<Overflow>('overflow.json');
    // One pass over what is unsent: its count, identities and newest sequence number and version.
    for (let pos: Position = { segment: this.ack.segment, offset: this.ack.offset }; ;) {
      const batch = this.readFrom(pos, 10_000, 64 * READ_CHUNK);
      if (batch.records.length === 0) break;
      for (const r of batch.records) this.noteAdded(r);
      pos = batch.end;
    }
    this.refresh();
    this.adoptLegacy();
  }

  /** Batches left by Sentra 0.1's spool, re-spooled as records (then removed), so an upgrade loses none. */
  private adoptLegacy(): void {
    const legacy = readLegacySpool(this.dir);
    this.legacy = { batches: legacy.files.length, records: legacy.records.length, unreadable: legacy.unreadable };
    if (legacy.files.length === 0) return;
    this.addAll(legacy.records);
    for (const name of legacy.files) unlinkSync(join(this.dir, name));
  }

  /** The newest version ever spooled (versions keep growing across restarts). */
  get lastVersion(): number {
    return this.newestVersion;
  }

  get overflow(): Overflow | null {
    return this.overflowState;
  }

  /** Appends one record under the full-spool policy above. */
  add(rec: Omit<SpoolRecord, 'q'>): 'stored' | 'evidence-owed' | 'refused' {
    return this.addAll([rec])[0]!;
  }

  /**
   * Appends records under the full-spool policy, with one write and one fsync per segment touched
   * (a commit of 500 changed signals costs one fsync, not 500).
   */
  addAll(recs: ReadonlyArray<Omit<SpoolRecord, 'q'>>): Array<'stored' | 'evidence-owed' | 'refused'> {
    const outcomes: Array<'stored' | 'evidence-owed' | 'refused'> = [];
    let pending: string[] = [];
    let pendingBytes = 0;
    const flush = (): void => {
      if (pending.length === 0) return;
      const path = join(this.dir, segName(this.current));
      appendDurably(path, pending.join(''));
      // The size from the file: an append after a torn line also wrote the newline that ends it.
      this.sizes.set(this.current, statSync(path).size);
      pending = [];
      pendingBytes = 0;
    };
    let refusedNow = false;
    let added = 0;
    for (const rec of recs) {
      const full: SpoolRecord = { q: this.seq + 1, ...rec };
      let line = `${JSON.stringify(full)}\n`;
      const used = this.stats.bytes + added;
      const fits = (l: string): boolean => used === 0 || used + Buffer.byteLength(l) <= this.maxBytes;
      let outcome: 'stored' | 'evidence-owed' = 'stored';
      if (!fits(line) && (full.e.length > 0 || full.o)) {
        full.e = [];
        full.o = 1;
        line = `${JSON.stringify(full)}\n`;
        outcome = 'evidence-owed';
      }
      if (!fits(line)) {
        this.stats.refused++;
        this.stats.full = true;
        this.overflowState = { since: Math.min(this.overflowState?.since ?? Infinity, rec.ls), refused: (this.overflowState?.refused ?? 0) + 1 };
        refusedNow = true;
        outcomes.push('refused');
        continue;
      }
      if ((this.sizes.get(this.current) ?? 0) + pendingBytes >= this.segmentBytes()) {
        flush();
        this.current++;
        this.sizes.set(this.current, 0);
      }
      pending.push(line);
      const bytes = Buffer.byteLength(line);
      pendingBytes += bytes;
      added += bytes;
      this.seq = full.q;
      this.noteAdded(full);
      if (outcome === 'evidence-owed') {
        this.stats.evidence_owed++;
        this.stats.full = true;
      }
      outcomes.push(outcome);
    }
    flush();
    if (refusedNow) writeFileAtomic(join(this.dir, 'overflow.json'), JSON.stringify(this.overflowState));
    this.refresh();
    return outcomes;
  }

  /** Up to `max` unsent records, oldest first, and the position just after them. */
  read(max: number): ReadBatch {
    return this.readFrom(this.ack, max, 16 * READ_CHUNK);
  }

  /** True when a newer record of the same identity is spooled after this one. */
  superseded(r: SpoolRecord): boolean {
    return (this.latest.get(r.k) ?? r.q) > r.q;
  }

  /** ClickHouse has everything in `batch`: move the ack past it and drop finished segments. */
  acknowledge(batch: ReadBatch): void {
    const last = batch.records.at(-1);
    for (const r of batch.records) if (this.latest.get(r.k) === r.q) this.latest.delete(r.k);
    this.ack = { ...batch.end, seq: last ? last.q : this.ack.seq };
    writeFileAtomic(join(this.dir, 'ack.json'), JSON.stringify(this.ack));
    for (const n of [...this.sizes.keys()]) {
      if (n < this.ack.segment) {
        unlinkSync(join(this.dir, segName(n)));
        this.sizes.delete(n);
      }
    }
    this.stats.records = Math.max(0, this.stats.records - batch.records.length);
    this.refresh();
  }

  /** The re-send from the local store finished: the refused records are in ClickHouse now. */
  clearOverflow(): void {
    this.overflowState = null;
    const path = join(this.dir, 'overflow.json');
    if (existsSync(path)) unlinkSync(path);
    this.refresh();
  }

  private segmentBytes(): number {
    return Math.max(64 * 1024, Math.min(8 * 1024 * 1024, Math.floor(this.maxBytes / 8)));
  }

  private noteAdded(r: SpoolRecord): void {
    this.latest.set(r.k, r.q);
    this.stats.records++;
    if (r.q > this.seq) this.seq = r.q;
    if (r.v > this.newestVersion) this.newestVersion = r.v;
  }

  private refresh(): void {
    let bytes = 0;
    for (const [n, size] of this.sizes) bytes += n === this.ack.segment ? Math.max(0, size - this.ack.offset) : size;
    this.stats.bytes = bytes;
    this.stats.segments = this.sizes.size;
    if (bytes === 0) this.stats.records = 0;
    this.stats.full = this.overflowState !== null || (this.stats.full && bytes > this.maxBytes * 0.9);
  }

  private readAck(): Position & { seq: number } {
    const a = this.readJson<Position & { seq: number }>('ack.json');
    return a && Number.isInteger(a.segment) && Number.isInteger(a.offset) ? { ...a, seq: Number(a.seq) || 0 } : { segment: 1, offset: 0, seq: 0 };
  }

  private readJson<T>(name: string): T | null {
    try {
      return JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as T;
    } catch {
      return null; // absent, or damaged: an ack that cannot be read re-sends, which is safe (versions)
    }
  }

  /** Whole lines from `from` onwards, across segment ends, up to `max` records or about `maxBytes`. */
  private readFrom(from: Position, max: number, maxBytes: number): ReadBatch {
    const records: SpoolRecord[] = [];
    let pos = { segment: from.segment, offset: from.offset };
    let read = 0;
    while (records.length < max && read < maxBytes) {
      const size = this.sizes.get(pos.segment);
      if (size === undefined) break;
      if (pos.offset >= size) {
        const next = [...this.sizes.keys()].filter((n) => n > pos.segment).sort((a, b) => a - b)[0];
        if (next === undefined) break;
        pos = { segment: next, offset: 0 };
        continue;
      }
      const fd = openSync(join(this.dir, segName(pos.segment)), 'r');
      try {
        let carry = Buffer.alloc(0);
        let offset = pos.offset;
        while (records.length < max && read < maxBytes && offset < size) {
          const buf = Buffer.alloc(Math.min(READ_CHUNK, size - offset));
          const n = readSync(fd, buf, 0, buf.length, offset);
          if (n <= 0) break;
          offset += n;
          read += n;
          let data = Buffer.concat([carry, buf.subarray(0, n)]);
          let nl: number;
          while (records.length < max && (nl = data.indexOf(10)) >= 0) {
            const line = data.subarray(0, nl).toString('utf8');
            pos = { segment: pos.segment, offset: pos.offset + nl + 1 };
            data = data.subarray(nl + 1);
            if (!line) continue;
            try {
              records.push(JSON.parse(line) as SpoolRecord);
            } catch {
              this.stats.torn_lines++;
            }
          }
          carry = data;
          if (records.length >= max) break;
        }
        if (records.length >= max || read >= maxBytes) break;
        if (carry.length > 0) {
          // A line without its newline ends this segment. In the newest segment it may be half-written;
          // in an older one it was torn by a crash (the writer moved on to a new segment): skip it.
          if (pos.segment === this.current) break;
          this.stats.torn_lines++;
          pos = { segment: pos.segment, offset: size };
        }
      } finally {
        closeSync(fd);
      }
    }
    return { records, end: pos };
  }
}
