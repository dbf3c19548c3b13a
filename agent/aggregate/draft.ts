// agent/aggregate/draft.ts: accumulates the events of one signal (one kind, key and window) within fixed bounds:
// counters are exact, name lists are capped with a count of what did not fit, evidence keeps at most N lines.
import type { Event, Evidence, Intent, SignalDraft } from '../model.js';
import { detach, signalId } from './signal-id.js';

/** Counts per name, keeping at most `cap` names; the rest is counted in `others`. */
export class CappedCounter {
  readonly counts = new Map<string, number>();
  others = 0;

  constructor(private readonly cap: number) {}

  add(name: string, n = 1): void {
    const c = this.counts.get(name);
    if (c !== undefined) this.counts.set(name, c + n);
    else if (this.counts.size < this.cap) this.counts.set(detach(name), n);
    else this.others += n;
  }

  has(name: string): boolean {
    return this.counts.has(name);
  }

  get size(): number {
    return this.counts.size;
  }

  /** Names by count (descending), ties by name, so output never depends on arrival order. */
  top(n: number): string[] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, n).map(([k]) => k);
  }
}

export function toEvidence(ev: Event): Evidence {
  const e: Evidence = {
    ts: new Date(ev.ts).toISOString(),
    source: `${ev.raw.file}:${ev.raw.lineNo}`,
    line: detach(ev.raw.text),
  };
  if (ev.raw.cursor !== undefined) e.cursor = ev.raw.cursor;
  return e;
}

export class DraftBuilder {
  firstSeen = Infinity;
  lastSeen = -Infinity;
  count = 0;
  readonly rules = new Set<string>();
  readonly mitre = new Set<string>();
  readonly soc2 = new Set<string>();
  readonly iso = new Set<string>();
  private readonly evidence: Array<{ e: Evidence; notable: boolean }> = [];

  constructor(
    readonly host: string,
    readonly kind: string,
    readonly key: string,
    readonly windowStart: number,
    private readonly evidenceCap: number,
  ) {}

  /** Adds an event; a notable one takes the place of the latest ordinary line once evidence is full. */
  add(ev: Event, notable = false): void {
    this.count += ev.repeat;
    if (ev.ts < this.firstSeen) this.firstSeen = ev.ts;
    if (ev.ts > this.lastSeen) this.lastSeen = ev.ts;
    const r = ev.rule;
    if (!this.rules.has(r.id)) {
      this.rules.add(r.id);
      for (const id of r.mitre) this.mitre.add(id);
      for (const id of r.soc2) this.soc2.add(id);
      for (const id of r.iso27001) this.iso.add(id);
    }
    this.addEvidence(ev, notable);
  }

  addEvidence(ev: Event, notable: boolean): void {
    if (this.evidence.length >= this.evidenceCap && !notable) return;
    this.addRecord(toEvidence(ev), notable);
  }

  /** Adds an evidence line kept elsewhere (e.g. the failures that preceded a success). */
  addRecord(e: Evidence, notable: boolean): void {
    if (this.evidence.some((x) => x.e.source === e.source && x.e.line === e.line)) return;
    if (this.evidence.length < this.evidenceCap) {
      this.evidence.push({ e, notable });
      return;
    }
    if (!notable) return;
    for (let i = this.evidence.length - 1; i >= 0; i--) {
      if (!this.evidence[i]!.notable) {
        this.evidence.splice(i, 1);
        this.evidence.push({ e, notable });
        return;
      }
    }
  }

  build(intent: Intent, entities: SignalDraft['entities'], facts: SignalDraft['facts'],
    traits: SignalDraft['traits']): SignalDraft {
    const sorted = [...this.evidence].map((x) => x.e).sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    return {
      id: signalId(this.host, this.kind, this.key, this.windowStart),
      host: this.host, kind: this.kind, key: this.key, windowStart: this.windowStart, intent,
      firstSeen: this.firstSeen, lastSeen: this.lastSeen, count: this.count,
      entities, rules: [...this.rules].sort(), mitre: [...this.mitre].sort(), soc2: [...this.soc2].sort(),
      iso27001: [...this.iso].sort(), evidence: sorted, facts, traits,
    };
  }
}
