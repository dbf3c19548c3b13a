// test/helpers/clickhouse.ts: a real clickhouse-server (Debian's package) on loopback, in a temporary
// directory with a config of its own: the same launcher the benchmark uses. scripts/test.sh installs the
// package when it is missing.
import { localClickHouse } from '../../scripts/clickhouse-local.js';

export type TestClickHouse = Awaited<ReturnType<typeof localClickHouse>>;

export const startClickHouse = localClickHouse;
