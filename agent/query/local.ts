// agent/query/local.ts: a QueryFilter answered from the local store (signals and incidents under the state
// directory). Signals are seen through the same projection the ClickHouse sink writes (sinks/clickhouse/
// rows.ts), so a question asked of either store gets the same rows.
import type { Incident, Signal } from '../model.js';
import { addressesOf, signalRow } from '../sinks/clickhouse/rows.js';
import { IncidentStore } from '../store/incidents.js';
import { LocalStore } from '../store/local-store.js';
import type { QueryFilter } from './filter.js';
import { BAND_RANK, NEW_SOURCE_FACTOR, OFF_HOURS_FACTOR, SUBJECT_RULES } from './subjects.js';

export type Row = Record<string, unknown>;

const secs = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
const isoOf = (s: number): string => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

export interface Window { since: number; until: number }
export const windowOf = (f: QueryFilter): Window => ({ since: secs(f.since), until: secs(f.until) });

/** A signal as an answer row: the columns the ClickHouse answer has too. */
export function signalAnswer(s: Signal): Row {
  const r = signalRow(s, '', 0);
  return {
    first_seen: isoOf(r.first_seen), last_seen: isoOf(r.last_seen), host: s.host, kind: s.kind, title: s.title,
    users: r.users, addresses: r.src_ips, count: s.count, band: s.band, risk: s.risk,
    new_source: s.factors.some((f) => f.name === NEW_SOURCE_FACTOR), off_hours: s.factors.some((f) => f.name === OFF_HOURS_FACTOR), id: s.id,
  };
}

export function incidentAnswer(i: Incident): Row {
  return {
    first_seen: isoOf(secs(i.first_seen)), last_seen: isoOf(secs(i.last_seen)), id: i.id, title: i.title, hosts: i.hosts,
    accounts: i.entities.accounts, addresses: i.entities.addresses, signals: i.signals.length, band: i.band, risk: i.risk,
  };
}

const overlaps = (w: Window, first: string, last: string): boolean => secs(last) >= w.since && secs(first) < w.until;

/** The signals a signal subject selects (before ordering and limit). */
export function selectSignals(all: readonly Signal[], f: QueryFilter): Signal[] {
  const w = windowOf(f);
  const rule = f.subject === 'incidents' || f.subject === 'top-addresses' ? SUBJECT_RULES.signals : SUBJECT_RULES[f.subject];
  return all.filter((s) => {
    if (!overlaps(w, s.first_seen, s.last_seen)) return false;
    if (f.host !== undefined && s.host !== f.host) return false;
    if (rule.kinds.length && !rule.kinds.includes(s.kind)) return false;
    if (rule.intent && s.intent !== rule.intent) return false;
    if (rule.rulePrefixes.length && !s.rules.some((id) => rule.rulePrefixes.some((p) => id.startsWith(p)))) return false;
    const row = signalRow(s, '', 0);
    if (f.account !== undefined && !row.users.includes(f.account)) return false;
    if (f.address !== undefined && !row.src_ips.includes(f.address)) return false;
    if (f.newOnly && !s.factors.some((x) => x.name === NEW_SOURCE_FACTOR)) return false;
    if (f.offHours && !s.factors.some((x) => x.name === OFF_HOURS_FACTOR)) return false;
    if (f.band && BAND_RANK[s.band]! < BAND_RANK[f.band]!) return false;
    return true;
  });
}

const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

export function orderSignalRows(rows: Row[], f: QueryFilter): Row[] {
  const key = (r: Row): Array<string | number> => [String(r.first_seen), String(r.host), String(r.id)];
  return rows.sort((a, b) => (f.subject === 'signals' ? cmp(Number(b.risk), Number(a.risk)) : 0)
    || key(a).reduce<number>((n, v, i) => n || cmp(v, key(b)[i]!), 0));
}

/** Addresses ranked by the log lines that are their own (failed attempts, logins), across the selected signals. */
export function topAddresses(signals: readonly Signal[], f: QueryFilter): Row[] {
  const by = new Map<string, { lines: number; signals: number; hosts: Set<string>; outcomes: Set<string> }>();
  for (const s of signals) {
    for (const a of addressesOf(s)) {
      if (f.address !== undefined && a.ip !== f.address) continue;
      let e = by.get(a.ip);
      if (!e) by.set(a.ip, (e = { lines: 0, signals: 0, hosts: new Set(), outcomes: new Set() }));
      e.lines += a.lines;
      e.signals += 1;
      e.hosts.add(s.host);
      e.outcomes.add(a.outcome);
    }
  }
  return [...by].map(([address, e]) => ({ address, lines: e.lines, signals: e.signals, hosts: sorted(e.hosts), outcomes: sorted(e.outcomes) }))
    .sort((a, b) => b.lines - a.lines || cmp(a.address, b.address)).slice(0, f.limit);
}

export function answerIncidents(all: readonly Incident[], f: QueryFilter): Row[] {
  const w = windowOf(f);
  return all.filter((i) => overlaps(w, i.first_seen, i.last_seen) && (f.host === undefined || i.hosts.includes(f.host))
    && (f.account === undefined || i.entities.accounts.includes(f.account)) && (f.address === undefined || i.entities.addresses.includes(f.address))
    && (f.band === undefined || BAND_RANK[i.band]! >= BAND_RANK[f.band]!))
    .map(incidentAnswer).sort((a, b) => cmp(String(a.first_seen), String(b.first_seen)) || cmp(String(a.id), String(b.id))).slice(0, f.limit);
}

/** The filter answered from the state directory's store. */
export function answerLocal(stateDir: string, store: { retention_days: number; max_mb: number }, f: QueryFilter): Row[] {
  const since = Date.parse(f.since);
  if (f.subject === 'incidents') return answerIncidents(new IncidentStore(stateDir).query({ since }), f);
  const signals = selectSignals(new LocalStore(stateDir, store).query({ since }), f);
  if (f.subject === 'top-addresses') return topAddresses(signals, f);
  return orderSignalRows(signals.map(signalAnswer), f).slice(0, f.limit);
}
