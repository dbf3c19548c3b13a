// agent/daemon/today.ts: what `sentra status` counts about the current UTC day (signals by band, those that
// need action, those overrides suppressed) and how often each override hit since the agent started. Kept
// from the signals each commit stores, so status never reads the store.
import { BAND_RANK, type Band, type Incident, type Signal } from '../model.js';
import { nowDate } from '../clock.js';

const BANDS: Band[] = ['high', 'medium', 'low', 'info'];

export class TodayCounts {
  private readonly today = new Map<string, Signal>();
  private readonly hits: Record<string, number> = {};
  private readonly incidents = new Map<string, Incident>();

  /** The signals a commit stored: today's replace their earlier versions; a new day forgets yesterday's. */
  note(signals: readonly Signal[]): void {
    const day = nowDate().toISOString().slice(0, 10);
    for (const [id, s] of this.today) if (s.last_seen.slice(0, 10) !== day) this.today.delete(id);
    for (const s of signals) {
      if (s.last_seen.slice(0, 10) !== day) continue;
      const before = this.today.get(s.id);
      if (s.suppressed && s.override && !before?.suppressed) this.hits[s.override.id] = (this.hits[s.override.id] ?? 0) + 1;
      this.today.set(s.id, s);
    }
  }

  /** The incidents a commit stored: those active today, by their latest version. */
  noteIncidents(incidents: readonly Incident[]): void {
    const day = nowDate().toISOString().slice(0, 10);
    for (const [id, i] of this.incidents) if (i.last_seen.slice(0, 10) !== day) this.incidents.delete(id);
    for (const i of incidents) if (i.last_seen.slice(0, 10) === day) this.incidents.set(i.id, i);
  }

  summary(): {
    incidents_today: Array<{ id: string; title: string; band: Band; action_required: boolean; signals: number }>; signals_today: Record<Band, number>; action_required_today: number; suppressed_today: Record<string, number>; override_hits_since_start: Record<string, number> } {
    const today = [...this.today.values()];
    const suppressed: Record<string, number> = {};
    for (const s of today) if (s.suppressed && s.override) suppressed[s.override.id] = (suppressed[s.override.id] ?? 0) + 1;
    return {
      // The 20 riskiest, so a host under attack cannot grow status.json without bound.
      incidents_today: [...this.incidents.values()].filter((i) => !i.suppressed)
        .sort((a, b) => BAND_RANK[b.band] - BAND_RANK[a.band] || b.risk - a.risk || (a.id < b.id ? -1 : 1)).slice(0, 20)
        .map((i) => ({ id: i.id, title: i.title, band: i.band, action_required: i.action_required, signals: i.signals.length })),
      signals_today: Object.fromEntries(BANDS.map((b) => [b, today.filter((s) => !s.suppressed && s.band === b).length])) as Record<Band, number>,
      action_required_today: today.filter((s) => s.action_required).length,
      suppressed_today: suppressed,
      override_hits_since_start: { ...this.hits },
    };
  }
}
