// agent/sinks/clickhouse/incident-rows.ts: an Incident as a row of the incidents table. The timeline and the
// links are JSON strings (read them with JSONExtract); accounts, addresses, hosts and signal ids are arrays,
// so a fleet query can join incidents to signals (arrayJoin(signals) = signals.id) or count by address.
import type { Incident } from '../../model.js';
import { epoch } from './schema.js';

export interface IncidentRow {
  tenant: string; id: string; version: number; scope: string; title: string; hosts: string[]; first_seen: number; last_seen: number;
  signals: string[]; accounts: string[]; addresses: string[]; tactics: string[]; timeline: string; links: string;
  risk: number; band: string; action_required: number; suppressed: number; explanation: string; recommended_action: string;
  mitre: string[]; soc2: string[]; iso27001: string[]; inserted_at: number;
}

export function incidentRow(i: Incident, tenant: string, version: number): IncidentRow {
  return {
    tenant, id: i.id, version, scope: i.scope, title: i.title, hosts: i.hosts, first_seen: epoch(i.first_seen), last_seen: epoch(i.last_seen),
    signals: i.signals, accounts: i.entities.accounts, addresses: i.entities.addresses, tactics: i.tactics,
    timeline: JSON.stringify(i.timeline), links: JSON.stringify(i.links), risk: i.risk, band: i.band,
    action_required: i.action_required ? 1 : 0, suppressed: i.suppressed ? 1 : 0, explanation: i.explanation,
    recommended_action: i.recommended_action, mitre: i.mitre, soc2: i.soc2, iso27001: i.iso27001, inserted_at: Math.floor(version / 1000),
  };
}

/** The spool identity of an incident: apart from signal identities (tenant|host|id). */
export function incidentKey(tenant: string, id: string): string {
  return `incident\u0001${tenant}\u0001${id}`;
}
