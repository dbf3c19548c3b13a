// The fleet simulation: generated logs of several hosts in two tenants, some sharing attacker addresses,
// shipped with `sentra scan --clickhouse` into a real clickhouse-server, then `sentra report fleet`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetFacts } from '../../reports/fleet/facts.js';
import { tempDir } from '../helpers/agent.js';
import { startClickHouse, type TestClickHouse } from '../helpers/clickhouse.js';
import { ROOT, sentra } from '../helpers/cli.js';

let ch: TestClickHouse;
let dir = '';
const logs: Record<string, string> = {};

beforeAll(async () => {
  ch = await startClickHouse();
  dir = tempDir('sentra-fleet-');
  const gen = join(ROOT, '..', 'shared', 'tools', 'gen-authlog.mjs');
  for (const [tenant, hosts, seed] of [['acme', 4, 5], ['globex', 2, 9]] as const) {
    const log = join(dir, `${tenant}.log`);
    execFileSync(process.execPath, [gen, '--lines', '40000', '--seed', String(seed), '--hosts', String(hosts), '--rfc3339', '--out', log]);
    logs[tenant] = log;
    const config = join(dir, `${tenant}.json`);
    writeFileSync(config, JSON.stringify({ state_dir: join(dir, tenant), clickhouse: { url: ch.url, database: 'fleet', tenant } }));
    const r = sentra(['scan', '--config', config, '--clickhouse', '--format', 'jsonl', '-q', log]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);
afterAll(async () => { await ch.stop(); });

function report(args: string[] = []): FleetFacts {
  const config = join(dir, 'acme.json');
  const r = sentra(['report', 'fleet', '--config', config, '--since', '2026-01-01', '--format', 'json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as FleetFacts;
}

/** Hosts on which an address failed to log in, straight from the raw lines. */
function hostsOf(ip: string): Set<string> {
  const hosts = new Set<string>();
  for (const log of Object.values(logs)) {
    for (const line of readFileSync(log, 'utf8').split('\n')) if (line.includes(` ${ip} `)) hosts.add(line.split(' ')[1]!);
  }
  return hosts;
}

describe('fleet report', () => {
  it('totals each tenant and ranks hosts by risk', () => {
    const f = report();
    expect(f.tenants.map((t) => [t.tenant, t.hosts])).toEqual([['acme', 4], ['globex', 2]]);
    expect(f.hosts.length).toBe(6);
    expect(f.hosts.map((h) => h.max_risk)).toEqual([...f.hosts.map((h) => h.max_risk)].sort((a, b) => b - a));
    expect(f.opening).toMatch(/^Over the last \d+ days, 6 hosts in 2 tenants reported \d+ signals\./);
  });

  it('finds source addresses seen on several hosts, and they are', () => {
    const f = report();
    expect(f.shared_addresses.length).toBeGreaterThan(0);
    for (const a of f.shared_addresses.slice(0, 5)) {
      expect(a.hosts).toBeGreaterThanOrEqual(2);
      for (const h of a.host_list) expect(hostsOf(a.ip), `${a.ip} on ${h}`).toContain(h);
    }
  });

  it('groups what needs action into playbooks that cover every such signal', () => {
    const f = report();
    const inPlaybooks = f.playbooks.flatMap((p) => p.signal_ids).sort();
    const needing = report().tenants.reduce((n, t) => n + t.needs_action, 0);
    expect(inPlaybooks).toHaveLength(needing);
    for (const p of f.playbooks) expect(p.action.length).toBeGreaterThan(10);
  });

  it('narrows to one tenant, and renders calm text and HTML', () => {
    expect(report(['--tenant', 'globex']).tenants.map((t) => t.tenant)).toEqual(['globex']);
    const html = sentra(['report', 'fleet', '--config', join(dir, 'acme.json'), '--since', '2026-01-01', '--format', 'html']).stdout;
    expect(html).toContain('Source addresses seen on several hosts');
    expect(html).not.toMatch(/<script/i);
  });
});
