// reports/fleet/facts.ts: the fleet executive report, computed by ClickHouse over every host's signals
// (latest version of each, via FINAL): hosts by risk, what needs action, addresses seen on several hosts,
// accounts with the same pattern on several hosts, playbooks (one action, the hosts and signals it
// covers) and per-tenant totals. Values are written as escaped literals: the Debian 18.16 server in the
// tests has no query parameters. An alias must not reuse a column's name: ClickHouse substitutes aliases.
import type { ClickHouseClient } from '@clickhouse/client';

export interface FleetFacts {
  since: string;
  until: string;
  tenant: string | null;
  opening: string;
  tenants: Array<{ tenant: string; hosts: number; signals: number; needs_action: number; suppressed: number }>;
  hosts: Array<{ tenant: string; host: string; max_risk: number; needs_action: number; signals: number }>;
  needs_action: Array<{ tenant: string; host: string; id: string; title: string; band: string; risk: number; first_seen: string; recommended_action: string }>;
  shared_addresses: Array<{ ip: string; hosts: number; host_list: string[]; signals: number; lines: number }>;
  shared_accounts: Array<{ user: string; hosts: number; host_list: string[]; signal_ids: string[] }>;
  playbooks: Array<{ kind: string; action: string; hosts: string[]; signal_ids: string[] }>;
}

/** A ClickHouse string literal. */
export function lit(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** One action per kind of signal that needs it: what a SOC would do across every host it covers. */
export const PLAYBOOKS: Record<string, string> = {
  'ssh-success-after-failures': 'Confirm each login with the account owner; where it was not theirs, disable the account and review the host.',
  'ssh-password-spray': 'Make sure accounts that log in use keys, and block the spraying addresses at the edge.',
  'ssh-distributed-guessing': 'Move the targeted accounts to key-based login or disable password authentication.',
  'remote-login': 'Confirm unusual logins (new address, night, privileged account) with their owners.',
  'uid0-login': 'Find who created the extra UID-0 accounts; lock any that no one can explain.',
  'privilege-use': 'Ask the people behind the listed commands to explain them; treat unexplained ones as an incident.',
  'account-change': 'Match account and group changes against change requests; revert the unmatched ones.',
  'rule-match': 'Check whether the listed events were planned work.',
};

const DAY = 86_400_000;

async function all<T>(c: ClickHouseClient, query: string): Promise<T[]> {
  return (await c.query({ query, format: 'JSONEachRow' })).json<T>();
}

export async function fleetFacts(c: ClickHouseClient, db: string, since: number, until: number, tenant: string | null): Promise<FleetFacts> {
  const where = `last_seen >= toDateTime(${Math.floor(since / 1000)}) AND first_seen < toDateTime(${Math.floor(until / 1000)})`
    + (tenant ? ` AND tenant = ${lit(tenant)}` : '');
  const latest = `(SELECT * FROM ${db}.signals FINAL WHERE ${where})`;
  const open = 'action_required = 1 AND suppressed = 0';
  const num = (v: unknown): number => Number(v);

  const tenants = (await all<Record<string, unknown>>(c, `SELECT tenant, uniqExact(host) AS hosts, count() AS signals,
    countIf(${open}) AS needs_action, countIf(suppressed = 1) AS covered FROM ${latest} GROUP BY tenant ORDER BY tenant`))
    .map((r) => ({ tenant: String(r.tenant), hosts: num(r.hosts), signals: num(r.signals), needs_action: num(r.needs_action), suppressed: num(r.covered) }));
  const hosts = (await all<Record<string, unknown>>(c, `SELECT tenant, host, max(risk) AS max_risk, countIf(${open}) AS needs_action,
    count() AS signals FROM ${latest} GROUP BY tenant, host ORDER BY max_risk DESC, needs_action DESC, host LIMIT 25`))
    .map((r) => ({ tenant: String(r.tenant), host: String(r.host), max_risk: num(r.max_risk), needs_action: num(r.needs_action), signals: num(r.signals) }));
  const needs = (await all<Record<string, unknown>>(c, `SELECT tenant, host, id, title, band, risk, toUnixTimestamp(first_seen) AS f,
    recommended_action FROM ${latest} WHERE ${open} ORDER BY risk DESC, f LIMIT 50`))
    .map((r) => ({ tenant: String(r.tenant), host: String(r.host), id: String(r.id), title: String(r.title), band: String(r.band),
      risk: num(r.risk), first_seen: new Date(num(r.f) * 1000).toISOString(), recommended_action: String(r.recommended_action) }));
  const shared = (await all<Record<string, unknown>>(c, `SELECT ip, uniqExact(host) AS hosts, groupUniqArray(host) AS host_list,
    count() AS signals, sum(count) AS lines FROM ${latest} ARRAY JOIN src_ips AS ip GROUP BY ip HAVING hosts >= 2
    ORDER BY hosts DESC, lines DESC, ip LIMIT 25`))
    .map((r) => ({ ip: String(r.ip), hosts: num(r.hosts), host_list: (r.host_list as string[]).slice().sort(), signals: num(r.signals), lines: num(r.lines) }));
  const accounts = (await all<Record<string, unknown>>(c, `SELECT user, uniqExact(host) AS hosts, groupUniqArray(host) AS host_list,
    groupArray(id) AS ids FROM ${latest} ARRAY JOIN users AS user WHERE kind = 'ssh-success-after-failures'
    GROUP BY user HAVING hosts >= 2 ORDER BY hosts DESC, user LIMIT 25`))
    .map((r) => ({ user: String(r.user), hosts: num(r.hosts), host_list: (r.host_list as string[]).slice().sort(), signal_ids: (r.ids as string[]).slice().sort() }));
  const plays = (await all<Record<string, unknown>>(c, `SELECT kind, groupUniqArray(host) AS hosts, groupArray(id) AS ids
    FROM ${latest} WHERE ${open} GROUP BY kind ORDER BY length(ids) DESC, kind`))
    .map((r) => ({ kind: String(r.kind), action: PLAYBOOKS[String(r.kind)] ?? PLAYBOOKS['rule-match']!,
      hosts: (r.hosts as string[]).slice().sort(), signal_ids: (r.ids as string[]).slice().sort() }));

  const facts: FleetFacts = {
    since: new Date(since).toISOString(), until: new Date(until).toISOString(), tenant, opening: '',
    tenants, hosts, needs_action: needs, shared_addresses: shared, shared_accounts: accounts, playbooks: plays,
  };
  facts.opening = opening(facts, Math.round((until - since) / DAY));
  return facts;
}

function opening(f: FleetFacts, days: number): string {
  const hostCount = f.tenants.reduce((n, t) => n + t.hosts, 0);
  const need = f.tenants.reduce((n, t) => n + t.needs_action, 0);
  const parts = [`Over the last ${days} ${days === 1 ? 'day' : 'days'}, ${hostCount} ${hostCount === 1 ? 'host' : 'hosts'} in `
    + `${f.tenants.length} ${f.tenants.length === 1 ? 'tenant' : 'tenants'} reported ${f.tenants.reduce((n, t) => n + t.signals, 0)} signals.`];
  parts.push(need === 0 ? 'None needs action.' : `${need} ${need === 1 ? 'needs' : 'need'} action; the playbooks below group them by what to do.`);
  if (f.shared_addresses.length) parts.push(`${f.shared_addresses.length} source ${f.shared_addresses.length === 1 ? 'address was' : 'addresses were'} seen on more than one host.`);
  if (f.shared_accounts.length) parts.push(`${f.shared_accounts.length} ${f.shared_accounts.length === 1 ? 'account shows' : 'accounts show'} a login after repeated failures on more than one host.`);
  return parts.join(' ');
}
