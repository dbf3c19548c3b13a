// agent/sinks/clickhouse/rows.ts: a Signal as rows of the signals and evidence tables, and the heartbeat
// row. Besides the signal itself, a row says what the fleet view needs to count things once:
//   accounts     accounts that logged in or were changed (never the names an attacker only tried)
//   tried_users  names tried in failed logins
//   addr_*       per source address: lines of this signal that are that address's own (failed attempts
//                from the per-address signals, logins from remote-login; 0 where another signal counts
//                the same lines) and what the address did: failed, succeeded, succeeded-after-failures.
import type { Signal } from '../../model.js';
import { epoch } from './schema.js';

export interface SignalRow {
  tenant: string; host: string; id: string; version: number; kind: string; title: string; intent: string;
  first_seen: number; last_seen: number; count: number; entities: string; users: string[]; src_ips: string[];
  rules: string[]; mitre: string[]; soc2: string[]; iso27001: string[]; risk: number; band: string; factors: string;
  action_required: number; explanation: string; recommended_action: string; suppressed: number;
  override_id: string; override_reason: string; inserted_at: number;
  accounts: string[]; tried_users: string[]; addr_ips: string[]; addr_lines: number[]; addr_outcomes: string[];
}

export interface EvidenceRow {
  tenant: string; host: string; signal_id: string; seq: number; version: number; ts: number; source: string; cursor: string; line: string;
}

export interface HeartbeatRow {
  tenant: string; host: string; at: number; agent_version: string; state: string; last_event: number; lag_seconds: number;
  spool_records: number; spool_bytes: number; evidence_owed: number; refused: number;
}

export type AddressOutcome = 'failed' | 'succeeded' | 'succeeded-after-failures';

/** The distinct strings among values and arrays of values (entities hold either), in first-seen order. */
export const uniqueStrings = (...vs: unknown[]): string[] => [...new Set(vs.flatMap((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]))
  .filter((x): x is string => typeof x === 'string'))];
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x : 0)) : []);

/** Kinds whose lines are failed attempts counted per address exactly once per host and day. */
const FAILURE_LINES = new Set(['ssh-password-spray', 'ssh-brute-force']);
const FAILED = new Set(['ssh-password-spray', 'ssh-brute-force', 'ssh-background-noise', 'ssh-distributed-guessing']);
const SUCCEEDED = new Set(['remote-login', 'uid0-login']);

/** Accounts that logged in (remote-login, uid0-login, success after failures) or were changed. */
export function accountsOf(s: Signal): string[] {
  const e = s.entities;
  if (s.kind === 'remote-login' || s.kind === 'uid0-login' || s.kind === 'ssh-success-after-failures') return uniqueStrings(e.user);
  if (s.kind === 'account-change') return uniqueStrings(e.target_user);
  return [];
}

export function triedUsersOf(s: Signal): string[] {
  const e = s.entities;
  if (s.kind === 'ssh-success-after-failures') return uniqueStrings(e.users);
  if (FAILED.has(s.kind)) return uniqueStrings(e.user, e.users);
  return [];
}

export function addressesOf(s: Signal): Array<{ ip: string; lines: number; outcome: AddressOutcome }> {
  const e = s.entities;
  const ips = uniqueStrings(e.src_ip, e.src_ips);
  if (FAILURE_LINES.has(s.kind)) return ips.map((ip) => ({ ip, lines: s.count, outcome: 'failed' as const }));
  if (s.kind === 'ssh-background-noise') {
    const lines = nums(s.facts.src_ip_lines);
    return ips.map((ip, i) => ({ ip, lines: lines[i] ?? 0, outcome: 'failed' as const }));
  }
  if (s.kind === 'ssh-distributed-guessing') return ips.map((ip) => ({ ip, lines: 0, outcome: 'failed' as const }));
  if (s.kind === 'remote-login') {
    const logins = nums(s.facts.src_ip_logins);
    return ips.map((ip, i) => ({ ip, lines: logins[i] ?? 0, outcome: 'succeeded' as const }));
  }
  if (SUCCEEDED.has(s.kind)) return ips.map((ip) => ({ ip, lines: 0, outcome: 'succeeded' as const }));
  if (s.kind === 'ssh-success-after-failures') return ips.map((ip) => ({ ip, lines: 0, outcome: 'succeeded-after-failures' as const }));
  return [];
}

/** `version` orders the versions of one signal: when it was handed to the sink (ms), never decreasing. */
export function signalRow(s: Signal, tenant: string, version: number): SignalRow {
  const e = s.entities;
  const addrs = addressesOf(s);
  return {
    tenant, host: s.host, id: s.id, version, kind: s.kind, title: s.title, intent: s.intent,
    first_seen: epoch(s.first_seen), last_seen: epoch(s.last_seen), count: s.count, entities: JSON.stringify(e),
    users: uniqueStrings(e.user, e.target_user, e.users), src_ips: uniqueStrings(e.src_ip, e.src_ips),
    rules: s.rules, mitre: s.mitre, soc2: s.soc2, iso27001: s.iso27001, risk: s.risk, band: s.band,
    factors: JSON.stringify(s.factors), action_required: s.action_required ? 1 : 0, explanation: s.explanation,
    recommended_action: s.recommended_action, suppressed: s.suppressed ? 1 : 0,
    override_id: s.override?.id ?? '', override_reason: s.override?.reason ?? '', inserted_at: Math.floor(version / 1000),
    accounts: accountsOf(s), tried_users: triedUsersOf(s),
    addr_ips: addrs.map((a) => a.ip), addr_lines: addrs.map((a) => a.lines), addr_outcomes: addrs.map((a) => a.outcome),
  };
}

export function evidenceRows(s: Signal, tenant: string, version: number): EvidenceRow[] {
  return s.evidence.map((ev, seq) => ({
    tenant, host: s.host, signal_id: s.id, seq, version, ts: epoch(ev.ts), source: ev.source, cursor: ev.cursor ?? '', line: ev.line,
  }));
}

/** Evidence rows that differ from the previous version's (by position): only those need sending. */
export function changedEvidence(s: Signal, previous: Signal | undefined, tenant: string, version: number): EvidenceRow[] {
  const rows = evidenceRows(s, tenant, version);
  if (!previous) return rows;
  const before = previous.evidence;
  return rows.filter((_r, i) => {
    const a = s.evidence[i]!;
    const b = before[i];
    return !b || a.ts !== b.ts || a.line !== b.line || a.source !== b.source || (a.cursor ?? '') !== (b.cursor ?? '');
  });
}
