// reports/fleet/facts.ts: the fleet report, computed by ClickHouse over every host's signals (the newest
// version of each, from signals_latest) and heartbeats. Every identity is (tenant, host, …): two tenants'
// hosts named web-01 are two hosts, and signal ids are only unique per tenant and host. Sections: tenants,
// hosts by risk, signals that need action, what each source address did on each host (lines counted
// once), accounts (ones that logged in or were changed, never names only tried) with the same pattern on
// several hosts, playbooks, and agents that stopped sending heartbeats. Values are written as escaped
// literals: the Debian 18.16 server in the tests has no query parameters.
import type { ClickHouseClient } from '@clickhouse/client';
import { addressFacts, type AddressFacts, type AddressRow } from './addresses.js';
import { playbooks, type Playbook } from './playbooks.js';
import { fleetIncidents } from './incidents.js';
import type { Incident } from '../../agent/model.js';

export interface SignalRef { tenant: string; host: string; id: string }

export interface FleetFacts {
  since: string;
  until: string;
  tenant: string | null;
  opening: string;
  /** One attacker on several hosts: the same public address, or the same account, getting in after failures. */
  incidents: Incident[];
  tenants: Array<{ tenant: string; hosts: number; signals: number; needs_action: number; suppressed: number }>;
  hosts: Array<{ tenant: string; host: string; max_risk: number; needs_action: number; signals: number }>;
  needs_action: Array<SignalRef & { title: string; band: string; risk: number; first_seen: string; recommended_action: string }>;
  /** Addresses seen on several hosts, or that logged in after failing anywhere. */
  addresses: AddressFacts[];
  shared_accounts: Array<{ tenant: string; account: string; kind: string; hosts: string[]; signals: SignalRef[] }>;
  playbooks: Playbook[];
  silent_after_minutes: number;
  silent_hosts: Array<{ tenant: string; host: string; last_heartbeat: string; agent_version: string; last_event: string | null; spool_records: number }>;
}

/** A ClickHouse string literal. */
export function lit(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Log-derived text without control characters: reports go to terminals, mail and browsers. */
const clean = (v: unknown): string => String(v ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
const num = (v: unknown): number => Number(v);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(clean) : []);
const iso = (secs: unknown): string => new Date(num(secs) * 1000).toISOString();
const DAY = 86_400_000;

async function all(c: ClickHouseClient, query: string): Promise<Array<Record<string, unknown>>> {
  return (await c.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
}

export interface FleetQuery {
  since: number;
  until: number;
  tenant: string | null;
  /** A host whose newest heartbeat is older than this (before `until`) is listed as silent. */
  silentAfterMs?: number;
}

export async function fleetFacts(c: ClickHouseClient, db: string, q: FleetQuery): Promise<FleetFacts> {
  const { since, until, tenant } = q;
  const silentAfter = q.silentAfterMs ?? 15 * 60_000;
  const byTenant = tenant ? ` AND tenant = ${lit(tenant)}` : '';
  const latest = `(SELECT * FROM ${db}.signals_latest WHERE last_seen >= toDateTime(${Math.floor(since / 1000)})`
    + ` AND first_seen < toDateTime(${Math.floor(until / 1000)})${byTenant})`;
  const open = 'action_required = 1 AND suppressed = 0';
  const ref = (r: Record<string, unknown>): SignalRef => ({ tenant: clean(r.tenant), host: clean(r.host), id: clean(r.id) });

  const tenants = (await all(c, `SELECT tenant, uniqExact(host) AS hosts, count() AS signals, countIf(${open}) AS needs_action,
    countIf(suppressed = 1) AS covered FROM ${latest} GROUP BY tenant ORDER BY tenant`))
    .map((r) => ({ tenant: clean(r.tenant), hosts: num(r.hosts), signals: num(r.signals), needs_action: num(r.needs_action), suppressed: num(r.covered) }));
  const hosts = (await all(c, `SELECT tenant, host, max(risk) AS max_risk, countIf(${open}) AS needs_action, count() AS signals
    FROM ${latest} GROUP BY tenant, host ORDER BY max_risk DESC, needs_action DESC, tenant, host LIMIT 50`))
    .map((r) => ({ tenant: clean(r.tenant), host: clean(r.host), max_risk: num(r.max_risk), needs_action: num(r.needs_action), signals: num(r.signals) }));
  const needs = (await all(c, `SELECT tenant, host, id, title, band, risk, toUnixTimestamp(first_seen) AS f, recommended_action
    FROM ${latest} WHERE ${open} ORDER BY risk DESC, f, tenant, host, id LIMIT 100`))
    .map((r) => ({ ...ref(r), title: clean(r.title), band: clean(r.band), risk: num(r.risk), first_seen: iso(r.f),
      recommended_action: clean(r.recommended_action) }));

  // One row per (tenant, host, address): lines summed once (only the per-address signals carry them).
  const addressRows: AddressRow[] = (await all(c, `SELECT tenant, host, ip, sum(n) AS lines, groupUniqArray(o) AS outcomes,
    groupUniqArrayArray(if(o = 'failed', emptyArrayString(), accounts)) AS accts, groupUniqArray(id) AS ids
    FROM ${latest} ARRAY JOIN addr_ips AS ip, addr_lines AS n, addr_outcomes AS o GROUP BY tenant, host, ip`))
    .map((r) => ({ tenant: clean(r.tenant), host: clean(r.host), ip: clean(r.ip), lines: num(r.lines), outcomes: strs(r.outcomes),
      accounts: strs(r.accts), signals: strs(r.ids) }));
  const addresses = addressFacts(addressRows).filter((a) => a.hosts >= 2 || a.verdict === 'succeeded after failures');

  const notable = `suppressed = 0 AND (action_required = 1 OR band IN ('medium', 'high'))`;
  const accounts = (await all(c, `SELECT tenant, account, kind, groupUniqArray(host) AS host_list, groupArray((host, id)) AS refs
    FROM ${latest} ARRAY JOIN accounts AS account WHERE ${notable} GROUP BY tenant, account, kind HAVING length(host_list) >= 2
    ORDER BY length(host_list) DESC, tenant, account, kind LIMIT 50`))
    .map((r) => ({ tenant: clean(r.tenant), account: clean(r.account), kind: clean(r.kind), hosts: strs(r.host_list).sort(),
      signals: (r.refs as Array<[string, string]>).map(([h, id]) => ({ tenant: clean(r.tenant), host: clean(h), id: clean(id) }))
        .sort((a, b) => (a.host + a.id < b.host + b.id ? -1 : 1)) }));
  const openByKind = (await all(c, `SELECT kind, groupArray((tenant, host, id)) AS refs FROM ${latest} WHERE ${open} GROUP BY kind`))
    .map((r) => ({ kind: clean(r.kind), signals: (r.refs as Array<[string, string, string]>).map(([t, h, id]) => ({ tenant: clean(t), host: clean(h), id: clean(id) })) }));

  const silent = (await all(c, `SELECT tenant, host, toUnixTimestamp(at) AS at, agent_version, toUnixTimestamp(last_event) AS le, spool_records
    FROM ${db}.heartbeats_latest WHERE at < toDateTime(${Math.floor((until - silentAfter) / 1000)})${byTenant} ORDER BY at, tenant, host`))
    .map((r) => ({ tenant: clean(r.tenant), host: clean(r.host), last_heartbeat: iso(r.at), agent_version: clean(r.agent_version),
      last_event: num(r.le) > 0 ? iso(r.le) : null, spool_records: num(r.spool_records) }));

  const facts: FleetFacts = {
    since: new Date(since).toISOString(), until: new Date(until).toISOString(), tenant, opening: '',
    incidents: await fleetIncidents(c, latest, addresses),
    tenants, hosts, needs_action: needs, addresses, shared_accounts: accounts,
    playbooks: playbooks(addresses, openByKind), silent_after_minutes: Math.round(silentAfter / 60_000), silent_hosts: silent,
  };
  facts.opening = opening(facts, Math.round((until - since) / DAY));
  return facts;
}

function opening(f: FleetFacts, days: number): string {
  const hostCount = f.tenants.reduce((n, t) => n + t.hosts, 0);
  const need = f.tenants.reduce((n, t) => n + t.needs_action, 0);
  const lead = f.incidents[0];
  const parts = lead ? [`${f.incidents.length === 1 ? 'One likely intrusion spans' : `${f.incidents.length} likely intrusions span`} several hosts: ${lead.title}.`] : [];
  parts.push(`Over the last ${days} ${days === 1 ? 'day' : 'days'}, ${hostCount} ${hostCount === 1 ? 'host' : 'hosts'} in `
    + `${f.tenants.length} ${f.tenants.length === 1 ? 'tenant' : 'tenants'} reported ${f.tenants.reduce((n, t) => n + t.signals, 0)} signals.`);
  parts.push(need === 0 ? 'None needs action.' : `${need} ${need === 1 ? 'needs' : 'need'} action; the playbooks below group them by what to do.`);
  const saf = f.addresses.filter((a) => a.verdict === 'succeeded after failures').length;
  if (saf) parts.push(`${saf} source ${saf === 1 ? 'address' : 'addresses'} logged in after failing: block ${saf === 1 ? 'it' : 'them'} first.`);
  if (f.silent_hosts.length) parts.push(`${f.silent_hosts.length} ${f.silent_hosts.length === 1 ? 'agent has' : 'agents have'} stopped reporting.`);
  return parts.join(' ');
}
