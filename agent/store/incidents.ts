// agent/store/incidents.ts: incidents in the local store, beside the signals and built the same way:
//
//   incidents/YYYY-MM.jsonl   one line per version of an incident, by the month of its first step; an incident
//                             that grows is appended again under the same id, and readers keep the last line.
//
// Writes are durable appends (one fsync per commit); a torn last line is skipped and counted; segments past
// the retention period are removed with the signals'.
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BAND_RANK, type Band, type Incident } from '../model.js';
import { appendDurably, ensureDir } from './atomic.js';
import { now as clockNow } from '../clock.js';

const SEGMENT = /^(\d{4})-(\d{2})\.jsonl$/;

export interface IncidentQuery {
  since?: number;
  until?: number;
  minBand?: Band;
  host?: string;
}

export class IncidentStore {
  private readonly dir: string;
  private readonly written = new Map<string, string>();
  torn_lines = 0;

  constructor(readonly root: string) {
    this.dir = join(root, 'incidents');
    for (const name of this.segments().slice(-2)) for (const i of this.readSegment(name).values()) this.written.set(i.id, JSON.stringify(i));
  }

  /** The incidents that differ from their stored version (or are new). Nothing is written. */
  changed(incidents: readonly Incident[]): Incident[] {
    return incidents.filter((i) => this.written.get(i.id) !== JSON.stringify(i));
  }

  /** The version stored last, if it is among the recent ones remembered. */
  previous(id: string): Incident | undefined {
    const json = this.written.get(id);
    return json === undefined ? undefined : JSON.parse(json) as Incident;
  }

  /** Appends these versions durably. */
  append(incidents: readonly Incident[]): void {
    const byMonth = new Map<string, string[]>();
    for (const i of incidents) {
      const json = JSON.stringify(i);
      this.written.set(i.id, json);
      const month = i.first_seen.slice(0, 7);
      byMonth.set(month, [...(byMonth.get(month) ?? []), json]);
    }
    if (byMonth.size > 0) ensureDir(this.dir);
    for (const [month, lines] of [...byMonth].sort()) appendDurably(join(this.dir, `${month}.jsonl`), `${lines.join('\n')}\n`);
  }

  upsert(incidents: readonly Incident[]): number {
    const changed = this.changed(incidents);
    this.append(changed);
    return changed.length;
  }

  /** Incidents (latest versions) matching the query, oldest first. */
  query(q: IncidentQuery = {}): Incident[] {
    const out: Incident[] = [];
    for (const name of this.segments()) {
      for (const i of this.readSegment(name).values()) {
        if (q.since !== undefined && Date.parse(i.last_seen) < q.since) continue;
        if (q.until !== undefined && Date.parse(i.first_seen) > q.until) continue;
        if (q.minBand && BAND_RANK[i.band] < BAND_RANK[q.minBand]) continue;
        if (q.host && !i.hosts.includes(q.host)) continue;
        out.push(i);
      }
    }
    return out.sort((a, b) => (a.first_seen < b.first_seen ? -1 : a.first_seen > b.first_seen ? 1 : a.id < b.id ? -1 : 1));
  }

  /** The latest version of one incident, wherever it is filed. */
  get(id: string): Incident | undefined {
    for (const name of this.segments().reverse()) {
      const i = this.readSegment(name).get(id);
      if (i) return i;
    }
    return undefined;
  }

  /** Removes segments older than the retention (the signals' retention). */
  maintain(retentionDays: number, now = clockNow()): string[] {
    const notes: string[] = [];
    const cutoff = now - retentionDays * 86_400_000;
    for (const name of this.segments()) {
      const m = SEGMENT.exec(name)!;
      if (Date.UTC(Number(m[1]), Number(m[2]), 1) < cutoff) {
        unlinkSync(join(this.dir, name));
        notes.push(`removed incidents/${name}: older than the retention of ${retentionDays} days`);
      }
    }
    return notes;
  }

  private segments(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).filter((n) => SEGMENT.test(n)).sort();
  }

  private readSegment(name: string): Map<string, Incident> {
    const latest = new Map<string, Incident>();
    for (const line of readFileSync(join(this.dir, name), 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const i = JSON.parse(line) as Incident;
        latest.delete(i.id);
        latest.set(i.id, i);
      } catch {
        this.torn_lines++;
      }
    }
    return latest;
  }
}
