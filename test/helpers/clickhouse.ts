// test/helpers/clickhouse.ts: a real clickhouse-server (Debian's package) on loopback, in a temporary
// directory with a config of its own: the same launcher the benchmark uses. scripts/test.sh installs the
// package when it is missing.
import { makeConfig } from '../../agent/config/load.js';
import { clickhouseClient } from '../../agent/sinks/clickhouse/client.js';
import { localClickHouse } from '../../scripts/clickhouse-local.js';

export type TestClickHouse = Awaited<ReturnType<typeof localClickHouse>>;

export const startClickHouse = localClickHouse;

/** The rows a query returns, through Sentra's own client with this ClickHouse config (`url` at least). */
export async function queryRows<T = Record<string, unknown>>(clickhouse: Record<string, unknown>, sql: string): Promise<T[]> {
  const c = clickhouseClient(makeConfig({ clickhouse }).clickhouse);
  try {
    return await (await c.query({ query: sql, format: 'JSONEachRow' })).json<T>();
  } finally {
    await c.close();
  }
}
