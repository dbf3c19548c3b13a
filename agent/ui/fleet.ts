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
import { FILTER_SCHEMA, type QueryFilter } from '../query/filter.js';
import { CONFIG_SCHEMA } from '../config/schema.js';
import type { Row } from '../query/local.js';
import { runClickHouse } from '../query/run-clickhouse.js';
import { filterSql, shapeRows } from '../query/sql.js';
import { ADDRESS_WHY, BAND_WHY, field, isBand, readDays } from './filters.js';

const DAY = 86_400_000;
// The shapes the config accepts for a tenant, and `sentra ask`'s filter for a host and an account.
const TENANT = new RegExp(CONFIG_SCHEMA.properties.clickhouse.properties.tenant.pattern);
const HOST = new RegExp(FILTER_SCHEMA.properties.host.pattern);
const ACCOUNT = new RegExp(FILTER_SCHEMA.properties.account.pattern);
export const FLEET_SIGNALS = 200;

export interface FleetFilter {
  from?: string; to?: string; tenant?: string; since: number; until: number;
  /** Narrow the signals list (not the report): one host, band and above, an account, an address. */
  host?: string; band?: Band; account?: string; address?: string;
}

export function parseFleetFilter(q: URLSearchParams, now: number): { filter: FleetFilter; problems: string[] } {
  const problems: string[] = [];
  const { since, until, ...days } = readDays(q, problems);
  const f: FleetFilter = { since: since ?? now - 7 * DAY, until: until ?? now, ...days };
  const tenant = field(q, 'tenant', problems, (v) => TENANT.test(v), 'must be a tenant name (letters, digits, dot, dash, underscore)');
  if (tenant !== undefined) f.tenant = tenant;
  const host = field(q, 'host', problems, (v) => HOST.test(v), 'must be a host name');
  if (host !== undefined) f.host = host;
  const account = field(q, 'account', problems, (v) => ACCOUNT.test(v), 'must be an account name');
  if (account !== undefined) f.account = account;
  const address = field(q, 'address', problems, (v) => isIP(v) !== 0, ADDRESS_WHY);
  if (address !== undefined) f.address = address;
  const band = field(q, 'band', problems, isBand, BAND_WHY);
  if (band !== undefined) f.band = band as Band;
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
