// The fleet report over three hosts in two tenants with colliding host and account names (see
// test/fixtures/fleet/README.md), shipped with `sentra scan --clickhouse` into a real clickhouse-server,
// then `sentra report fleet`. Every finding is asserted exactly.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import { ClickHouseSink } from '../../agent/sinks/clickhouse/sink.js';
import type { FleetFacts } from '../../reports/fleet/facts.js';
import { tempDir } from '../helpers/agent.js';
import { queryRows, startClickHouse, type TestClickHouse } from '../helpers/clickhouse.js';
import { sentra } from '../helpers/cli.js';
import { toneProblems } from '../helpers/tone.js';
import { shipFleet } from '../helpers/fleet.js';

let ch: TestClickHouse;
let dir = '';
const UNTIL = '2026-03-03T00:00:00Z';

beforeAll(async () => {
  ch = await startClickHouse();
  dir = shipFleet(ch.url, 'sentra-fleet-');
  // Heartbeats: acme/web-01 reported a minute ago, acme/db-01 two hours ago.
  const until = Date.parse(UNTIL);
  for (const [host, ago] of [['web-01', 60_000], ['db-01', 7_200_000]] as const) {
    const cfg = makeConfig({ clickhouse: { url: ch.url, database: 'fleet', tenant: 'acme' } });
    const sink = new ClickHouseSink(cfg.clickhouse, tempDir('sentra-hb-'), 400, () => undefined,
      { now: () => until - ago, heartbeat: () => ({ host, state: 'running', last_event: until - ago - 1000, lag_seconds: 0 }) });
    await sink.heartbeat(true);
    await sink.stop();
  }
}, 120_000);
afterAll(async () => { await ch.stop(); });

function report(args: string[] = [], format = 'json'): string {
  const r = sentra(['report', 'fleet', '--config', join(dir, 'acme-web-01.json'), '--since', '2026-03-01', '--until', UNTIL, '--format', format, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}
const facts = (args: string[] = []): FleetFacts => JSON.parse(report(args)) as FleetFacts;

describe('fleet report', () => {
  it('keeps two tenants\' web-01 apart although their signal ids collide', async () => {
    const rows = await queryRows<{ id: string; at: string[] }>({ url: ch.url }, `SELECT id, groupArray(concat(tenant, '/', host)) AS at
      FROM fleet.signals_latest GROUP BY id HAVING length(at) > 1 ORDER BY id`);
    expect(rows.map((r) => [r.id, r.at.sort()])).toEqual([
      ['298902a3da75', ['acme/web-01', 'globex/web-01']], ['71e9ad0a549d', ['acme/web-01', 'globex/web-01']],
      ['8a157b937a20', ['acme/web-01', 'globex/web-01']]]);
    const f = facts();
    expect(f.tenants).toEqual([
      { tenant: 'acme', hosts: 2, signals: 8, needs_action: 2, suppressed: 0 },
      { tenant: 'globex', hosts: 1, signals: 4, needs_action: 1, suppressed: 0 }]);
    expect(f.hosts.map((h) => `${h.tenant}/${h.host} ${h.signals} ${h.needs_action}`).sort())
      .toEqual(['acme/db-01 4 1', 'acme/web-01 4 1', 'globex/web-01 4 1']);
    expect(f.opening).toBe('One likely intrusion spans several hosts: Likely intrusion across 3 hosts from 198.51.100.23, 203.0.113.7: deploy. Over the last 2 days, 3 hosts in 2 tenants reported 12 signals. 3 need action; the playbooks below group them '
      + 'by what to do. 2 source addresses logged in after failing: block them first. 1 agent has stopped reporting.');
  });

  it('tells one fleet incident: 203.0.113.7 got in on two hosts, deploy was got into on both acme hosts', () => {
    const f = facts();
    expect(f.incidents).toHaveLength(1);
    const i = f.incidents[0]!;
    expect(i.scope).toBe('fleet');
    expect(i.hosts).toEqual(['acme/db-01', 'acme/web-01', 'globex/web-01']);
    expect(i.entities).toEqual({ addresses: ['198.51.100.23', '203.0.113.7'], accounts: ['deploy'] });
    expect(i.links.filter((l) => l.linked_to === null)).toHaveLength(1);
    for (const l of i.links) {
      expect(l.reason).toMatch(/^(203\.0\.113\.7 (got in after failing|logged in) on (acme\/db-01|globex\/web-01)|deploy logged in after failures on acme\/(web|db)-01)/);
    }
    for (const text of [i.title, i.explanation, i.recommended_action]) expect(toneProblems(text), text).toEqual([]);
    // The office address logs in everywhere but never failed: it is no part of the story.
    expect(JSON.stringify(i)).not.toContain('192.0.2.10');
    // Same data, same id.
    expect(facts().incidents[0]!.id).toBe(i.id);
    expect(report([], 'text')).toMatch(/^FLEET INCIDENTS$/m);
  });

  it('lists what each address did on each host, lines counted once, private addresses per tenant', () => {
    const f = facts();
    expect(f.addresses.map((a) => ({ ip: a.ip, scope: a.scope, verdict: a.verdict, lines: a.lines,
      per_host: a.per_host.map((h) => `${h.tenant}/${h.host}: ${h.outcome}, ${h.lines} lines${h.accounts.length ? `, as ${h.accounts.join(',')}` : ''}`) }))).toEqual([
      { ip: '203.0.113.7', scope: 'public', verdict: 'succeeded after failures', lines: 30, per_host: [
        'acme/db-01: succeeded after failures, 15 lines, as deploy', 'acme/web-01: failed only, 8 lines',
        'globex/web-01: succeeded after failures, 7 lines, as deploy'] },
      { ip: '198.51.100.23', scope: 'public', verdict: 'succeeded after failures', lines: 7, per_host: [
        'acme/web-01: succeeded after failures, 7 lines, as deploy'] },
      { ip: '203.0.113.99', scope: 'public', verdict: 'failed everywhere', lines: 6, per_host: [
        'acme/web-01: failed only, 3 lines', 'globex/web-01: failed only, 3 lines'] },
      { ip: '192.0.2.10', scope: 'public', verdict: 'logged in, never failed', lines: 6, per_host: [
        'acme/db-01: succeeded, 2 lines, as alice', 'acme/web-01: succeeded, 2 lines, as alice', 'globex/web-01: succeeded, 2 lines, as alice'] },
    ]);
  });

  it('counts only accounts that logged in, per tenant: never names that were only tried', () => {
    expect(facts().shared_accounts).toEqual([{ tenant: 'acme', account: 'deploy', kind: 'ssh-success-after-failures', hosts: ['db-01', 'web-01'],
      signals: [{ tenant: 'acme', host: 'db-01', id: 'c921039facae' }, { tenant: 'acme', host: 'web-01', id: '24771e393872' }] }]);
  });

  it('writes playbooks from what the addresses did, then one per kind that needs action', () => {
    const f = facts();
    expect(f.playbooks.map((p) => ({ kind: p.kind, addresses: p.addresses, hosts: p.hosts }))).toEqual([
      { kind: 'address-succeeded-after-failures', addresses: ['203.0.113.7', '198.51.100.23'], hosts: ['acme/db-01', 'acme/web-01', 'globex/web-01'] },
      { kind: 'address-failed-on-several-hosts', addresses: ['203.0.113.99'], hosts: ['acme/web-01', 'globex/web-01'] },
      { kind: 'ssh-success-after-failures', addresses: [], hosts: ['acme/db-01', 'acme/web-01', 'globex/web-01'] },
    ]);
    expect(f.playbooks[0]!.action).toMatch(/^Block these addresses at the edge now: .* \(deploy\)/);
    expect(f.playbooks[2]!.signals).toEqual([{ tenant: 'acme', host: 'db-01', id: 'c921039facae' },
      { tenant: 'acme', host: 'web-01', id: '24771e393872' }, { tenant: 'globex', host: 'web-01', id: 'dd5bbfe64ea3' }]);
    expect(f.needs_action.map((s) => `${s.tenant}/${s.host}/${s.id}`).sort())
      .toEqual(['acme/db-01/c921039facae', 'acme/web-01/24771e393872', 'globex/web-01/dd5bbfe64ea3']);
  });

  it('lists agents whose heartbeat stopped', () => {
    expect(facts().silent_hosts).toEqual([{ tenant: 'acme', host: 'db-01', last_heartbeat: '2026-03-02T22:00:00.000Z', agent_version: expect.any(String),
      last_event: '2026-03-02T21:59:59.000Z', spool_records: 0 }]);
    expect(facts(['--silent-after', '3h']).silent_hosts).toEqual([]);
  });

  it('narrows to one tenant', () => {
    const f = facts(['--tenant', 'globex']);
    expect(f.tenants.map((t) => t.tenant)).toEqual(['globex']);
    expect(f.addresses.flatMap((a) => a.per_host.map((h) => h.tenant))).not.toContain('acme');
    expect(f.shared_accounts).toEqual([]);
    expect(f.silent_hosts).toEqual([]);
  });

  it('says in text which signals need action, per tenant and host; HTML is escaped', () => {
    const text = report([], 'text');
    expect(text).toContain('SIGNALS THAT NEED ACTION\n- acme/');
    for (const ref of ['acme/db-01 c921039facae', 'acme/web-01 24771e393872', 'globex/web-01 dd5bbfe64ea3']) expect(text).toContain(ref);
    expect(text).toContain('    acme/web-01: failed only, 8 lines');
    expect(text).toContain('- acme/db-01: last heartbeat 2026-03-02 22:00 UTC');
    const html = report([], 'html');
    expect(html).toContain('Source addresses: what each did on each host');
    expect(html).not.toMatch(/<script/i);
  });
});
