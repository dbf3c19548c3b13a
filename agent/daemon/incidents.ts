// agent/daemon/incidents.ts: what a commit stores of the correlate stage: the incidents that are new or
// changed, and the signals of this commit plus earlier ones whose incident changed since they were stored
// (a later signal linked them), so the store's signals always name their incident.
import type { Incident, Signal } from '../model.js';
import type { Pipeline } from '../pipeline.js';
import type { LocalStore } from '../store/local-store.js';

export function settleIncidents(pipeline: Pipeline, batch: Signal[], store: LocalStore): { signals: Signal[]; incidents: Incident[] } {
  const u = pipeline.incidentUpdates();
  const byId = new Map(batch.map((s) => [s.id, s]));
  const missing = new Set<string>();
  for (const r of u.relabeled) {
    const s = byId.get(r.id) ?? store.previous(r.id);
    if (s) byId.set(r.id, { ...s, incident_id: r.incident_id });
    else missing.add(r.id);
  }
  if (missing.size > 0) {
    const labels = new Map(u.relabeled.map((r) => [r.id, r.incident_id]));
    for (const [id, s] of store.latest(missing)) byId.set(id, { ...s, incident_id: labels.get(id) ?? null });
  }
  return { signals: [...byId.values()], incidents: u.incidents };
}
