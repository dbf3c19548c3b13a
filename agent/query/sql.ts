// agent/query/sql.ts: a QueryFilter as ClickHouse SQL over the *_latest views, with every value from the
// question a {name:Type} parameter (bound as a typed literal by sql-tokens.ts), and the rows it returns
// shaped as the local store's answer (local.ts) so both stores answer alike.
import type { QueryFilter } from './filter.js';
import type { Row } from './local.js';
import { windowOf } from './local.js';
import { BAND_RANK, NEW_SOURCE_FACTOR, OFF_HOURS_FACTOR, SUBJECT_RULES } from './subjects.js';

export interface BuiltSql { sql: string; params: Record<string, unknown> }

// position() on the factors JSON: a factor name inside a detail string would have escaped quotes, so this
// exact text only matches a factor's own "name" field.
const factorTest = (name: string): string => `position(factors, '"name":"${name}"') > 0`;

function signalConditions(f: QueryFilter, params: Record<string, unknown>): string[] {
  const rule = f.subject === 'incidents' || f.subject === 'top-addresses' ? SUBJECT_RULES.signals : SUBJECT_RULES[f.subject];
  const where = ['tenant = {tenant:String}', 'last_seen >= toDateTime({since:UInt32})', 'first_seen < toDateTime({until:UInt32})'];
  if (f.host !== undefined) { where.push('host = {host:String}'); params.host = f.host; }
  if (rule.kinds.length) { where.push('has({kinds:Array(String)}, kind)'); params.kinds = rule.kinds; }
  if (rule.intent) { where.push('intent = {intent:String}'); params.intent = rule.intent; }
  if (rule.rulePrefixes.length) {
    where.push(`arrayExists(r -> ${rule.rulePrefixes.map((_p, i) => `position(r, {rule_prefix_${i}:String}) = 1`).join(' OR ')}, rules)`);
    rule.rulePrefixes.forEach((p, i) => { params[`rule_prefix_${i}`] = p; });
  }
  if (f.account !== undefined) { where.push('has(users, {account:String})'); params.account = f.account; }
  if (f.address !== undefined) { where.push('has(src_ips, {address:String})'); params.address = f.address; }
  if (f.newOnly) where.push(factorTest(NEW_SOURCE_FACTOR));
  if (f.offHours) where.push(factorTest(OFF_HOURS_FACTOR));
  if (f.band) { where.push('has({bands:Array(String)}, band)'); params.bands = bandsFrom(f.band); }
  return where;
}

const bandsFrom = (b: string): string[] => Object.keys(BAND_RANK).filter((x) => BAND_RANK[x]! >= BAND_RANK[b]!);

/** The SQL for a filter; `db` is the configured database (a name the config schema already restricts). */
export function filterSql(f: QueryFilter, db: string, tenant: string): BuiltSql {
  const w = windowOf(f);
  const params: Record<string, unknown> = { tenant, since: w.since, until: w.until, limit: f.limit };
  if (f.subject === 'incidents') {
    const where = ['tenant = {tenant:String}', 'last_seen >= toDateTime({since:UInt32})', 'first_seen < toDateTime({until:UInt32})'];
    if (f.host !== undefined) { where.push('has(hosts, {host:String})'); params.host = f.host; }
    if (f.account !== undefined) { where.push('has(accounts, {account:String})'); params.account = f.account; }
    if (f.address !== undefined) { where.push('has(addresses, {address:String})'); params.address = f.address; }
    if (f.band) { where.push('has({bands:Array(String)}, band)'); params.bands = bandsFrom(f.band); }
    return { params, sql: 'SELECT toUnixTimestamp(first_seen) AS first_seen_s, toUnixTimestamp(last_seen) AS last_seen_s, id, title, hosts, '
      + `accounts, addresses, length(signals) AS signal_count, band, risk FROM ${db}.incidents_latest WHERE ${where.join(' AND ')} `
      + 'ORDER BY first_seen_s, id LIMIT {limit:UInt32}' };
  }
  const where = signalConditions(f, params);
  if (f.subject === 'top-addresses') {
    if (f.address !== undefined) where.push('addr = {address:String}');
    return { params, sql: 'SELECT addr AS address, sum(addr_line) AS line_sum, count() AS signal_count, arraySort(groupUniqArray(host)) AS host_list, '
      + `arraySort(groupUniqArray(outcome)) AS outcome_list FROM ${db}.signals_latest `
      + 'ARRAY JOIN addr_ips AS addr, addr_lines AS addr_line, addr_outcomes AS outcome '
      + `WHERE ${where.join(' AND ')} GROUP BY addr ORDER BY line_sum DESC, address LIMIT {limit:UInt32}` };
  }
  const order = f.subject === 'signals' ? 'risk DESC, first_seen_s, host, id' : 'first_seen_s, host, id';
  return { params, sql: 'SELECT toUnixTimestamp(first_seen) AS first_seen_s, toUnixTimestamp(last_seen) AS last_seen_s, host, kind, title, '
    + `users, src_ips, count, band, risk, ${factorTest(NEW_SOURCE_FACTOR)} AS new_source, ${factorTest(OFF_HOURS_FACTOR)} AS off_hours, id `
    + `FROM ${db}.signals_latest WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT {limit:UInt32}` };
}

const isoOf = (s: unknown): string => new Date(Number(s) * 1000).toISOString().replace('.000Z', 'Z');
const num = (v: unknown): number => Number(v);

/** ClickHouse rows in the shape of the local answer. */
export function shapeRows(f: QueryFilter, rows: Row[]): Row[] {
  if (f.subject === 'incidents') {
    return rows.map((r) => ({ first_seen: isoOf(r.first_seen_s), last_seen: isoOf(r.last_seen_s), id: r.id, title: r.title, hosts: r.hosts,
      accounts: r.accounts, addresses: r.addresses, signals: num(r.signal_count), band: r.band, risk: num(r.risk) }));
  }
  if (f.subject === 'top-addresses') {
    return rows.map((r) => ({ address: r.address, lines: num(r.line_sum), signals: num(r.signal_count), hosts: r.host_list, outcomes: r.outcome_list }));
  }
  return rows.map((r) => ({ first_seen: isoOf(r.first_seen_s), last_seen: isoOf(r.last_seen_s), host: r.host, kind: r.kind, title: r.title,
    users: r.users, addresses: r.src_ips, count: num(r.count), band: r.band, risk: num(r.risk), new_source: num(r.new_source) === 1,
    off_hours: num(r.off_hours) === 1, id: r.id }));
}
