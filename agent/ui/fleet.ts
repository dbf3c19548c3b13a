// agent/ui/fleet.ts: the fleet view's data, when ClickHouse is configured: the fleet report's facts (every
// host's newest signal versions and heartbeats) for a period and, optionally, one tenant. Read-only: the
// client runs its queries with readonly=1, and decisions stay on each host.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../config/load.js';
import { clickhouseClient } from '../sinks/clickhouse/sink.js';
import { describeError } from '../sinks/transport.js';
import { fleetFacts, type FleetFacts } from '../../reports/fleet/facts.js';
import { isIP } from 'node:net';
import type { Band } from '../model.js';
import type { QueryFilter } from '../query/filter.js';
import type { Row } from '../query/local.js';
import { runClickHouse } from '../query/run-clickhouse.js';
import { filterSql, shapeRows } from '../query/sql.js';
import { BANDS } from './filters.js';

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// The same shapes `sentra ask` accepts (agent/query/filter.ts).
const HOST = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
const ACCOUNT = /^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}\$?$/;
export const FLEET_SIGNALS = 200;

export interface FleetFilter {
  from?: string; to?: string; tenant?: string; since: number; until: number;
  /** Narrow the signals list (not the report): one host, band and above, an account, an address. */
  host?: string; band?: Band; account?: string; address?: string;
}

export function parseFleetFilter(q: URLSearchParams, now: number): { filter: FleetFilter; problems: string[] } {
  const problems: string[] = [];
  const f: FleetFilter = { since: now - 7 * DAY, until: now };
  for (const k of ['from', 'to'] as const) {
    const v = q.get(k)?.trim();
    if (!v) continue;
    const t = Date.parse(`${v}T00:00:00Z`);
    if (!DATE.test(v) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v) { problems.push(`"${k}" must be a date such as 2026-03-01`); continue; }
    f[k] = v;
    if (k === 'from') f.since = t;
    else f.until = t + DAY - 1;
  }
  const tenant = q.get('tenant')?.trim();
  if (tenant) {
    if (TENANT.test(tenant)) f.tenant = tenant;
    else problems.push('"tenant" must be a tenant name (letters, digits, dot, dash, underscore)');
  }
  const host = q.get('host')?.trim();
  if (host) { if (HOST.test(host)) f.host = host; else problems.push('"host" must be a host name'); }
  const account = q.get('account')?.trim();
  if (account) { if (ACCOUNT.test(account)) f.account = account; else problems.push('"account" must be an account name'); }
  const address = q.get('address')?.trim();
  if (address) { if (isIP(address)) f.address = address; else problems.push('"address" must be an IPv4 or IPv6 address'); }
  const band = q.get('band')?.trim();
  if (band) { if ((BANDS as string[]).includes(band)) f.band = band as Band; else problems.push(`"band" must be one of ${BANDS.join(', ')}`); }
  if (f.until < f.since) problems.push('"to" is before "from"');
  return { filter: f, problems };
}

export class UiFleet {
  private readonly client: ClickHouseClient;

  private readonly cfg: Config['clickhouse'];

  constructor(private readonly config: Config) {
    this.cfg = config.clickhouse;
    this.client = clickhouseClient(this.cfg, { readonly: true });
  }

  /** The facts, or the reason ClickHouse could not give them (shown on the page, never the credentials). */
  async facts(f: FleetFilter): Promise<FleetFacts | { error: string }> {
    try {
      return await fleetFacts(this.client, this.cfg.database, { since: f.since, until: f.until, tenant: f.tenant ?? null });
    } catch (err) {
      return { error: describeError(err) };
    }
  }

  /** The newest versions of one tenant's signals that match (the config's tenant unless one is chosen), riskiest first. */
  async signals(f: FleetFilter): Promise<{ tenant: string; rows: Row[] } | { error: string }> {
    const tenant = f.tenant ?? this.cfg.tenant;
    const q: QueryFilter = { subject: 'signals', since: new Date(f.since).toISOString(), until: new Date(f.until + 1).toISOString(), limit: FLEET_SIGNALS,
      ...(f.host ? { host: f.host } : {}), ...(f.account ? { account: f.account } : {}), ...(f.address ? { address: f.address } : {}), ...(f.band ? { band: f.band } : {}) };
    const built = filterSql(q, this.cfg.database, tenant);
    try {
      return { tenant, rows: shapeRows(q, await runClickHouse(this.config, built.sql, built.params)) };
    } catch (err) {
      return { error: describeError(err) };
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
