// test/helpers/fleet.ts: the fleet fixture (test/fixtures/fleet: three hosts in two tenants with colliding host
// and account names) shipped by `sentra scan --clickhouse` into the `fleet` database of a test ClickHouse.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { tempDir } from './agent.js';
import { sentra } from './cli.js';

export const FLEET_FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'fleet');

/** Ships the three hosts; returns the directory holding each host's config (`<tenant>-<host>.json`) and state. */
export function shipFleet(url: string, prefix: string): string {
  const dir = tempDir(prefix);
  for (const [tenant, file] of [['acme', 'acme-web-01'], ['acme', 'acme-db-01'], ['globex', 'globex-web-01']] as const) {
    const config = join(dir, `${file}.json`);
    writeFileSync(config, JSON.stringify({ state_dir: join(dir, file), timezone: 'UTC', clickhouse: { url, database: 'fleet', tenant } }));
    const r = sentra(['scan', '--config', config, '--clickhouse', '--timezone', 'UTC', '--format', 'jsonl', '-q', join(FLEET_FIXTURE, `${file}.log`)]);
    expect(r.code, r.stderr).toBe(0);
  }
  return dir;
}
