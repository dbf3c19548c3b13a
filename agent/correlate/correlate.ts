// agent/correlate/correlate.ts: the correlate stage. Signals → incidents, after score and override.
// It holds a slim copy of the recent signals of each host (bounded: by event time and by count) and rebuilds
// the chains of a host whenever one of its signals changes. Chains are a pure function of the signals held,
// so a replay and a live agent that saw the same lines give the same incidents with the same ids. Its state
// goes through the aggregation state codec (explicit tags), so a restart carries on where it stopped.
import type { DetectionConfig } from '../config/detection.js';
import type { Incident, Signal } from '../model.js';
import { decode, encode } from '../aggregate/codec.js';
import { buildChains, eligible } from './chain.js';
import { toIncident } from './incident.js';

const DAY_MS = 86_400_000;

export interface CorrelateStats {
  /** Signals held for correlation now, over all hosts. */
  held: number;
  /** Signals let go because a host held more than `signals_per_host` within the horizon. */
  evicted: number;
  /** Chain rebuilds (one per host whose signals changed). */
  rebuilds: number;
  /** Time spent rebuilding chains, in ms (for `npm run bench`; never part of any output). */
  ms: number;
}

export interface IncidentUpdates {
  /** Incidents that are new or changed since the last call. */
  incidents: Incident[];
  /** Signals handed out earlier whose incident changed since (a later signal linked them). */
  relabeled: Array<{ id: string; incident_id: string | null }>;
}

interface State {
  hosts: Map<string, Map<string, Signal>>;
  /** The newest last_seen per host: each host ages its signals by its own event time. */
  marks: Map<string, number>;
  given: Map<string, string | null>;
  reported: Map<string, { json: string; members: string[] }>;
}

export class Correlator {
  private s: State = { hosts: new Map(), marks: new Map(), given: new Map(), reported: new Map() };
  private readonly labels = new Map<string, string>();
  private readonly current = new Map<string, Incident[]>();
  private readonly dirty = new Set<string>();
  readonly stats: CorrelateStats = { held: 0, evicted: 0, rebuilds: 0, ms: 0 };

  constructor(private readonly cfg: DetectionConfig) {}

  private get windowMs(): number {
    return this.cfg.correlation.window_hours * 3_600_000;
  }

  /** How long a signal is held after the newest one: the window, plus the days a replay may hand it late. */
  private get horizonMs(): number {
    return this.windowMs + (this.cfg.limits.late_days + 2) * DAY_MS;
  }

  /** Takes new or updated signals and labels them with their incident (null when alone), in place. */
  observe(signals: Signal[]): Signal[] {
    for (const sig of signals) {
      const t = Date.parse(sig.last_seen);
      if (t > (this.s.marks.get(sig.host) ?? -Infinity)) this.s.marks.set(sig.host, t);
      if (!eligible(sig)) continue;
      let held = this.s.hosts.get(sig.host);
      if (!held) this.s.hosts.set(sig.host, (held = new Map()));
      const slim = slimmed(sig);
      const before = held.get(sig.id);
      if (before && JSON.stringify(before) === JSON.stringify(slim)) continue;
      held.set(sig.id, slim);
      this.dirty.add(sig.host);
    }
    this.settle();
    for (const sig of signals) {
      sig.incident_id = this.labels.get(sig.id) ?? null;
      this.s.given.set(sig.id, sig.incident_id);
    }
    return signals;
  }

  /** Incidents new or changed, and earlier signals whose incident changed, since the last call. */
  updates(): IncidentUpdates {
    this.settle();
    const incidents: Incident[] = [];
    const live = new Set<string>();
    for (const list of this.current.values()) {
      for (const inc of list) {
        live.add(inc.id);
        const json = JSON.stringify(inc);
        const was = this.s.reported.get(inc.id);
        if (was?.json === json) continue;
        // A chain whose first steps aged out of memory is not reported smaller than it was.
        if (was && was.members.some((id) => !inc.signals.includes(id) && !this.isHeld(inc.hosts, id))) continue;
        this.s.reported.set(inc.id, { json, members: inc.signals });
        incidents.push(inc);
      }
    }
    const relabeled: IncidentUpdates['relabeled'] = [];
    for (const [id, was] of this.s.given) {
      // A signal let go (aged out) keeps the incident it was last given: nothing is known against it.
      if (!this.isHeldAnywhere(id)) {
        this.s.given.delete(id);
        continue;
      }
      const now = this.labels.get(id) ?? null;
      if (now !== was) {
        relabeled.push({ id, incident_id: now });
        this.s.given.set(id, now);
      }
    }
    // Forget what no longer matters: incidents whose signals all aged out, labels of signals let go.
    for (const id of [...this.s.reported.keys()]) if (!live.has(id)) this.s.reported.delete(id);
    return { incidents: incidents.sort((a, b) => (a.first_seen < b.first_seen ? -1 : a.first_seen > b.first_seen ? 1 : a.id < b.id ? -1 : 1)), relabeled };
  }

  /** Every incident among the signals held now. */
  incidents(): Incident[] {
    this.settle();
    return [...this.current.values()].flat().sort((a, b) => (a.first_seen < b.first_seen ? -1 : 1));
  }

  saveState(): unknown {
    return encode(this.s);
  }

  static restore(cfg: DetectionConfig, state: unknown): Correlator {
    const c = new Correlator(cfg);
    const s = decode(state as Parameters<typeof decode>[0], cfg) as State;
    c.s = { hosts: s.hosts ?? new Map(), marks: s.marks ?? new Map(), given: s.given ?? new Map(), reported: s.reported ?? new Map() };
    for (const h of c.s.hosts.keys()) c.dirty.add(h);
    c.settle();
    return c;
  }

  private isHeld(hosts: string[], id: string): boolean {
    return hosts.some((h) => this.s.hosts.get(h)?.has(id) === true);
  }

  private isHeldAnywhere(id: string): boolean {
    for (const held of this.s.hosts.values()) if (held.has(id)) return true;
    return false;
  }

  /**
   * Rebuilds the chains of every host whose signals changed, then lets go of what aged out. Chains are built
   * before the letting go: signals that arrive together with much newer ones (a replay closes old days late)
   * are still linked once.
   */
  private settle(): void {
    if (this.dirty.size === 0) return;
    const t0 = performance.now();
    const cap = this.cfg.correlation.signals_per_host;
    for (const host of [...this.dirty].sort()) {
      const held = this.s.hosts.get(host)!;
      for (const inc of this.current.get(host) ?? []) for (const id of inc.signals) this.labels.delete(id);
      const incidents = buildChains([...held.values()], this.windowMs).map(toIncident);
      for (const inc of incidents) for (const id of inc.signals) this.labels.set(id, inc.id);
      this.current.set(host, incidents);
      this.stats.rebuilds++;
      const oldest = (this.s.marks.get(host) ?? -Infinity) - this.horizonMs;
      for (const [id, sig] of held) if (Date.parse(sig.last_seen) < oldest) held.delete(id);
      if (held.size > cap) {
        // Past the cap the signals that ended longest ago go first.
        const byAge = [...held.values()].sort((a, b) => (a.last_seen < b.last_seen ? -1 : a.last_seen > b.last_seen ? 1 : a.id < b.id ? -1 : 1));
        for (const sig of byAge.slice(0, held.size - cap)) held.delete(sig.id);
        this.stats.evicted += byAge.length - cap;
      }
    }
    this.dirty.clear();
    let n = 0;
    for (const held of this.s.hosts.values()) n += held.size;
    this.stats.held = n;
    this.stats.ms += performance.now() - t0;
  }
}

/** What correlation needs of a signal: everything but the evidence lines (their times stay). */
function slimmed(s: Signal): Signal {
  const { incident_id: _, ...rest } = s;
  return { ...rest, evidence: s.evidence.map((e) => ({ ts: e.ts, source: '', line: '' })) };
}
