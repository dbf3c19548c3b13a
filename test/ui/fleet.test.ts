// sentra ui's fleet view over a real clickhouse-server: three hosts in two tenants shipped by
// `sentra scan --clickhouse` (test/fixtures/fleet), shown as the fleet report tells them; its client is read-only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../agent/config/load.js';
import { clickhouseClient } from '../../agent/sinks/clickhouse/client.js';
import { uiApp } from '../../agent/ui/app.js';
import { UiData } from '../../agent/ui/data.js';
import { UiFleet } from '../../agent/ui/fleet.js';
import { loadToken } from '../../agent/ui/token.js';
import { queryRows, startClickHouse, type TestClickHouse } from '../helpers/clickhouse.js';
import { shipFleet } from '../helpers/fleet.js';

let ch: TestClickHouse;
let dir = '';
const TOKEN = 'fleet-view-token-0123456789abcdef';

beforeAll(async () => {
  ch = await startClickHouse();
  dir = shipFleet(ch.url, 'sentra-ui-fleet-');
}, 120_000);
afterAll(async () => { await ch.stop(); });

function app(url = ch.url) {
  const cfg = makeConfig({ state_dir: join(dir, 'acme-web-01'), clickhouse: { enabled: true, url, database: 'fleet' } });
  writeFileSync(join(dir, 'ui.token'), `${TOKEN}\n`, { mode: 0o600 });
  const fleet = new UiFleet(cfg);
  return { fleet, app: uiApp({ data: new UiData(cfg.state_dir, cfg.store), token: loadToken(join(dir, 'ui.token')), host: 'web-01', listenHost: '127.0.0.1', fleet }) };
}
const get = async (a: ReturnType<typeof uiApp>, path: string) => a.request(`http://127.0.0.1${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });

describe('sentra ui: the fleet view', () => {
  it('tells the fleet incident, the hosts and the addresses across tenants', async () => {
    const { app: a, fleet } = app();
    const r = await get(a, '/fleet?from=2026-03-01&to=2026-03-02');
    const text = await r.text();
    await fleet.close();
    expect(r.status).toBe(200);
    expect(text).toContain('Likely intrusion across 3 hosts from 198.51.100.23, 203.0.113.7: deploy');
    for (const h of ['acme/web-01', 'acme/db-01', 'globex/web-01']) expect(text).toContain(h);
    expect(text).toContain('href="/entities/address/203.0.113.7"');
    expect(text).toContain('aria-current="page">Fleet</a>');
    const one = await (await get(app().app, '/fleet?from=2026-03-01&to=2026-03-02&tenant=globex')).text();
    expect(one).toContain(', tenant globex');
    expect(one).not.toContain('acme/db-01');
  });

  it('lists a tenant\'s signals, narrowed by host, band, account and address, as ClickHouse holds them', async () => {
    const want = await queryRows<{ id: string }>({ url: ch.url }, `SELECT id FROM fleet.signals_latest WHERE tenant = 'acme' AND host = 'db-01' ORDER BY id`);
    const { app: a, fleet } = app();
    const page = await (await get(a, '/fleet?from=2026-03-01&to=2026-03-02&tenant=acme&host=db-01')).text();
    const ids = (html: string): string[] => [...html.slice(html.indexOf('<section id="fleet-signals">')).matchAll(/<code>([0-9a-f]{12})<\/code><\/div>/g)].map((m) => m[1]!).sort();
    expect(page).toContain('Signals of tenant acme <span class="muted">(host db-01)</span>');
    expect(want.length).toBeGreaterThan(0);
    expect(ids(page)).toEqual(want.map((r) => r.id));
    const high = await (await get(a, '/fleet?from=2026-03-01&to=2026-03-02&tenant=acme&band=high')).text();
    expect(ids(high).length).toBeLessThan(ids(await (await get(a, '/fleet?from=2026-03-01&to=2026-03-02&tenant=acme')).text()).length);
    const deploy = await (await get(a, '/fleet?from=2026-03-01&to=2026-03-02&tenant=acme&account=deploy&address=203.0.113.7')).text();
    expect(deploy).toContain('(account deploy, address 203.0.113.7)');
    expect(ids(deploy).length).toBeGreaterThan(0);
    expect(await (await get(a, '/fleet?host=a%27b&address=nope')).text()).toContain('&quot;host&quot; must be a host name');
    await fleet.close();
  });

  it('says when ClickHouse cannot answer, without the credentials, and is absent without ClickHouse', async () => {
    const { app: a, fleet } = app('http://sentra:s3cret-pass@127.0.0.1:1');
    const text = await (await get(a, '/fleet?from=2026-03-01&to=2026-03-02')).text();
    await fleet.close();
    expect(text).toContain('ClickHouse could not answer');
    expect(text).not.toContain('s3cret-pass');
    const local = uiApp({ data: new UiData(dir, { retention_days: 400, max_mb: 10 }), token: loadToken(join(dir, 'ui.token')), host: 'x', listenHost: '127.0.0.1' });
    expect((await get(local, '/fleet')).status).toBe(404);
    expect(await (await get(local, '/incidents')).text()).not.toContain('href="/fleet"');
  });

  it('reads with readonly=1: the server refuses a write through the view\'s client', async () => {
    const c = clickhouseClient(makeConfig({ clickhouse: { url: ch.url } }).clickhouse, { readonly: true });
    await expect(c.command({ query: 'CREATE TABLE fleet.x (a UInt8) ENGINE = Memory' })).rejects.toThrow(/readonly|Cannot execute query in readonly mode/i);
    await c.close();
  });
});
