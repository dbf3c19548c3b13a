// agent/store/local-store.ts: the embedded default store under the state directory.
//
//   signals/YYYY-MM.jsonl   one line per version of a signal, by the month of its first event; a signal
//                           that grows is appended again under the same id, and readers keep the last line.
//   state.json              checkpoints and aggregation state (see agent/daemon/checkpoint.ts)
//
// Append-only JSON lines suit this data: writes are appends with one fsync per commit, a crash can at most
// leave a torn last line (skipped and counted on read), the weekly report and the audit bundle read a few
// segments front to back, and an auditor can read the files with any tool. Segments are compacted when they
// hold many superseded versions, removed after the retention period, and the oldest go first when the
// store outgrows its size limit.
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BAND_RANK, type Band, type Signal } from '../model.js';
import { appendDurably, ensureDir, writeFileAtomic } from './atomic.js';
import { now as clockNow } from '../clock.js';

export interface StoreOptions {
  retention_days: number;
  max_mb: number;
}

export interface StoreStats {
  segments: number;
  bytes: number;
  torn_lines: number;
  removed_segments: number;
}

export interface SignalQuery {
  /** ISO time or ms: signals whose last event is at or after this. */
  since?: number;
  until?: number;
  minBand?: Band;
  host?: string;
}

const SEGMENT = /^(\d{4})-(\d{2})\.jsonl$/;

export class LocalStore {
  private readonly dir: string;
  /** The last stored form of each recent signal, so unchanged snapshots are not appended again. */
  private readonly written = new Map<string, string>();
  readonly stats: StoreStats = { segments: 0, bytes: 0, torn_lines: 0, removed_segments: 0 };

  constructor(readonly root: string, private readonly opts: StoreOptions) {
    // Nothing is created until something is stored: reading (`sentra signals` as root) must leave the
    // state directory exactly as the service made it.
    this.dir = join(root, 'signals');
    // Recent segments seed the change detector: a restart must not append every open signal again.
    for (const name of this.segments().slice(-2)) {
      for (const s of this.readSegment(name).values()) this.written.set(s.id, JSON.stringify(s));
    }
    this.refreshStats();
  }

  /** Appends the signals that changed since they were last stored, durably. Returns how many. */
  upsert(signals: readonly Signal[]): number {
    const changed = this.changed(signals);
    this.append(changed);
    return changed.length;
  }

  /**
   * The signals that differ from their stored version (or are new). Pure: nothing is written. A window's
   * count only grows, so a version with a lower count than the stored one is a re-derivation from less
   * (a state set aside, sources read again after rotation): it never replaces what is stored.
   */
  changed(signals: readonly Signal[]): Signal[] {
    return signals.filter((s) => {
      const json = this.written.get(s.id);
      if (json === undefined) return true;
      if (json === JSON.stringify(s)) return false;
      return (JSON.parse(json) as Signal).count <= s.count;
    });
  }

  /** The version stored last for this id, if it is among the recent ones remembered. */
  previous(id: string): Signal | undefined {
    const json = this.written.get(id);
    return json === undefined ? undefined : JSON.parse(json) as Signal;
  }

  /** The latest stored version of each of these ids that is still in the store, newest segments first. */
  latest(ids: ReadonlySet<string>): Map<string, Signal> {
    const found = new Map<string, Signal>();
    for (const name of this.segments().reverse()) {
      if (found.size === ids.size) break;
      for (const [id, s] of this.readSegment(name)) if (ids.has(id) && !found.has(id)) found.set(id, s);
    }
    return found;
  }

  /**
   * Appends these versions durably and remembers them as stored, a month's segment at a time: a version
   * counts as stored only once its append (and fsync) succeeded, so after a failure (a full disk, a file
   * made immutable) changed() still offers it and the caller can try again. Throws on the first failure.
   */
  append(signals: readonly Signal[]): void {
    const byMonth = new Map<string, Array<[string, string]>>();
    for (const s of signals) {
      const month = s.first_seen.slice(0, 7);
      let lines = byMonth.get(month);
      if (!lines) byMonth.set(month, (lines = []));
      lines.push([s.id, JSON.stringify(s)]);
    }
    if (byMonth.size > 0) ensureDir(this.dir);
    for (const [month, lines] of [...byMonth].sort()) {
      const data = `${lines.map(([, json]) => json).join('\n')}\n`;
      appendDurably(join(this.dir, `${month}.jsonl`), data);
      for (const [id, json] of lines) this.written.set(id, json);
      this.stats.bytes += Buffer.byteLength(data);
    }
    if (byMonth.size > 0) this.stats.segments = this.segments().length;
    if (this.written.size > 50_000) this.forgetOldest();
  }

  /** Signals (their latest versions) matching the query, oldest first. */
  query(q: SignalQuery = {}): Signal[] {
    const out: Signal[] = [];
    for (const name of this.segments()) {
      const m = SEGMENT.exec(name)!;
      const monthEnd = Date.UTC(Number(m[1]), Number(m[2]), 1);
      const monthStart = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
      // A signal is filed by its first event; its last event can be later, but not before the month began.
      if (q.until !== undefined && monthStart > q.until) continue;
      if (q.since !== undefined && monthEnd + 40 * 86_400_000 < q.since) continue;
      for (const s of this.readSegment(name).values()) {
        if (q.since !== undefined && Date.parse(s.last_seen) < q.since) continue;
        if (q.until !== undefined && Date.parse(s.first_seen) > q.until) continue;
        if (q.minBand && BAND_RANK[s.band] < BAND_RANK[q.minBand]) continue;
        if (q.host && s.host !== q.host) continue;
        out.push(s);
      }
    }
    return out.sort((a, b) => (a.first_seen < b.first_seen ? -1 : a.first_seen > b.first_seen ? 1 : a.id < b.id ? -1 : 1));
  }

  /** Removes expired segments, compacts bloated ones, and keeps the store under its size limit. */
  maintain(now = clockNow()): string[] {
    const notes: string[] = [];
    const cutoff = now - this.opts.retention_days * 86_400_000;
    for (const name of this.segments()) {
      const m = SEGMENT.exec(name)!;
      if (Date.UTC(Number(m[1]), Number(m[2]), 1) < cutoff) {
        unlinkSync(join(this.dir, name));
        this.stats.removed_segments++;
        notes.push(`removed ${name}: older than the retention of ${this.opts.retention_days} days`);
      }
    }
    for (const name of this.segments()) {
      const path = join(this.dir, name);
      const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean).length;
      const latest = this.readSegment(name);
      if (lines > 1000 && lines > 2 * latest.size) {
        writeFileAtomic(path, `${[...latest.values()].map((s) => JSON.stringify(s)).join('\n')}\n`);
        notes.push(`compacted ${name}: ${lines} lines to ${latest.size}`);
      }
    }
    this.refreshStats();
    while (this.stats.bytes > this.opts.max_mb * 1024 * 1024 && this.segments().length > 1) {
      const oldest = this.segments()[0]!;
      unlinkSync(join(this.dir, oldest));
      this.stats.removed_segments++;
      notes.push(`removed ${oldest}: the store exceeded its limit of ${this.opts.max_mb} MB`);
      this.refreshStats();
    }
    return notes;
  }

  private segments(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).filter((n) => SEGMENT.test(n)).sort();
  }

  private readSegment(name: string): Map<string, Signal> {
    const latest = new Map<string, Signal>();
    const text = readFileSync(join(this.dir, name), 'utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const s = JSON.parse(line) as Signal;
        latest.delete(s.id); // keep file order of the latest versions
        latest.set(s.id, s);
      } catch {
        this.stats.torn_lines++; // a line cut short by a crash mid-append
      }
    }
    return latest;
  }

  private refreshStats(): void {
    const names = this.segments();
    this.stats.segments = names.length;
    this.stats.bytes = names.reduce((n, name) => n + statSync(join(this.dir, name)).size, 0);
  }

  private forgetOldest(): void {
    const drop = this.written.size - 40_000;
    let i = 0;
    for (const id of this.written.keys()) {
      if (i++ >= drop) break;
      this.written.delete(id);
    }
  }
}
