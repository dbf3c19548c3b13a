// agent/ui/fleet.ts: the fleet view's data, when ClickHouse is configured: the fleet report's facts (every
// host's newest signal versions and heartbeats) for a period and, optionally, one tenant. Read-only: the
// client runs its queries with readonly=1, and decisions stay on each host.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../config/load.js';
import { clickhouseClient } from '../sinks/clickhouse/sink.js';
import { describeError } from '../sinks/transport.js';
import { fleetFacts, type FleetFacts } from '../../reports/fleet/facts.js';

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface FleetFilter { from?: string; to?: string; tenant?: string; since: number; until: number }

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
  if (f.until < f.since) problems.push('"to" is before "from"');
  return { filter: f, problems };
}

export class UiFleet {
  private readonly client: ClickHouseClient;

  constructor(private readonly cfg: Config['clickhouse']) {
    this.client = clickhouseClient(cfg, { readonly: true });
  }

  /** The facts, or the reason ClickHouse could not give them (shown on the page, never the credentials). */
  async facts(f: FleetFilter): Promise<FleetFacts | { error: string }> {
    try {
      return await fleetFacts(this.client, this.cfg.database, { since: f.since, until: f.until, tenant: f.tenant ?? null });
    } catch (err) {
      return { error: describeError(err) };
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
