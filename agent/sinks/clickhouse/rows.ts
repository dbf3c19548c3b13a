// agent/sinks/clickhouse/rows.ts: a Signal as rows of the signals and evidence tables.
import type { Signal } from '../../model.js';
import { epoch } from './schema.js';

export interface SignalRow {
  tenant: string; host: string; id: string; version: number; kind: string; title: string; intent: string;
  first_seen: number; last_seen: number; count: number; entities: string; users: string[]; src_ips: string[];
  rules: string[]; mitre: string[]; soc2: string[]; iso27001: string[]; risk: number; band: string; factors: string;
  action_required: number; explanation: string; recommended_action: string; suppressed: number;
  override_id: string; override_reason: string; inserted_at: number;
}

export interface EvidenceRow {
  tenant: string; host: string; signal_id: string; seq: number; version: number; ts: number; source: string; cursor: string; line: string;
}

const list = (...vs: unknown[]): string[] => [...new Set(vs.flatMap((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]))
  .filter((x): x is string => typeof x === 'string'))];

/** `version` orders the versions of one signal: the time it was handed to the sink (ms), kept in the spool. */
export function signalRow(s: Signal, tenant: string, version: number): SignalRow {
  const e = s.entities;
  return {
    tenant, host: s.host, id: s.id, version, kind: s.kind, title: s.title, intent: s.intent,
    first_seen: epoch(s.first_seen), last_seen: epoch(s.last_seen), count: s.count, entities: JSON.stringify(e),
    users: list(e.user, e.target_user, e.users), src_ips: list(e.src_ip, e.src_ips),
    rules: s.rules, mitre: s.mitre, soc2: s.soc2, iso27001: s.iso27001, risk: s.risk, band: s.band,
    factors: JSON.stringify(s.factors), action_required: s.action_required ? 1 : 0, explanation: s.explanation,
    recommended_action: s.recommended_action, suppressed: s.suppressed ? 1 : 0,
    override_id: s.override?.id ?? '', override_reason: s.override?.reason ?? '', inserted_at: Math.floor(version / 1000),
  };
}

export function evidenceRows(s: Signal, tenant: string, version: number): EvidenceRow[] {
  return s.evidence.map((ev, seq) => ({
    tenant, host: s.host, signal_id: s.id, seq, version, ts: epoch(ev.ts), source: ev.source, cursor: ev.cursor ?? '', line: ev.line,
  }));
}
