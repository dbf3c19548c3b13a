// sentra ui's locks, checked over HTTP in process (Hono's app.request): the token on every request, the
// session cookie, CSRF and origin checks on forms, host names (DNS rebinding), headers, escaping, the token
// file's mode, and decisions landing in the same log as `sentra decide`.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chainProblem } from '../../agent/decisions/chain.js';
import { rawDecisionLines, readDecisions } from '../../agent/decisions/decisions.js';
import { uiApp } from '../../agent/ui/app.js';
import { isLoopback } from '../../agent/ui/security.js';
import { UiData } from '../../agent/ui/data.js';
import { loadToken, type UiToken } from '../../agent/ui/token.js';
import { LocalStore } from '../../agent/store/local-store.js';
import { tempDir } from '../helpers/agent.js';
import { signal } from '../helpers/signals.js';
import { HOSTILE_USER, MENTION_USER, uiStore } from '../helpers/ui.js';

const TOKEN = 'a-long-enough-test-token-0123456789';
let stateDir: string;
let token: UiToken;
let app: ReturnType<typeof uiApp>;

beforeAll(async () => {
  ({ stateDir } = await uiStore());
  const file = join(stateDir, 'ui.token');
  writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
  token = loadToken(file);
  app = uiApp({ data: new UiData(stateDir, { retention_days: 4000, max_mb: 1024 }), token, host: 'db-01', listenHost: '127.0.0.1' });
});

const base = 'http://127.0.0.1:8443';
const bearer = { authorization: `Bearer ${TOKEN}` };
const get = (path: string, headers: Record<string, string> = bearer) => app.request(`${base}${path}`, { headers });
const post = (path: string, form: Record<string, string>, headers: Record<string, string>) =>
  app.request(`${base}${path}`, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
const signalIds = async (): Promise<string[]> => [...(await (await get('/signals?from=2026-01-01&to=2026-12-31')).text()).matchAll(/href="\/signals\/([0-9a-f]{12})"/g)].map((m) => m[1]!);

describe('sentra ui: the token', () => {
  it('refuses requests without it: 401 for scripts, the login form for a browser', async () => {
    expect((await get('/incidents', {})).status).toBe(401);
    expect((await get('/incidents', { authorization: 'Bearer wrong-token-wrong-token-wrong' })).status).toBe(401);
    const browser = await get('/signals?band=high', { accept: 'text/html' });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe('/login?next=%2Fsignals%3Fband%3Dhigh');
    expect((await get('/incidents')).status).toBe(200);
    expect((await get('/static/style.css', {})).status).toBe(200);
  });

  it('exchanges the token for an HttpOnly, SameSite=Strict cookie that is not the token', async () => {
    const bad = await post('/login', { token: 'nope', next: '/signals' }, { origin: base });
    expect(bad.status).toBe(403);
    const ok = await post('/login', { token: TOKEN, next: '//evil.example/x' }, { origin: base });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/');
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0]!;
    expect((await get('/incidents', { cookie: session })).status).toBe(200);
    expect((await get('/incidents', { cookie: 'sentra_session=forged' })).status).toBe(401);
    // A login posted from another site is refused even with the right token (login CSRF).
    expect((await post('/login', { token: TOKEN }, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('knows which listen addresses only this machine can reach (sentra ui warns about the others)', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].filter(isLoopback)).toHaveLength(4);
    expect(['0.0.0.0', '::', '10.0.0.5', 'web-01', '128.0.0.1'].filter(isLoopback)).toEqual([]);
  });

  it('answers only to loopback names and the address it listens on (no DNS rebinding)', async () => {
    expect((await app.request('http://evil.example:8443/incidents', { headers: { ...bearer, host: 'evil.example:8443' } })).status).toBe(421);
    expect((await app.request('http://localhost:9000/incidents', { headers: { ...bearer, host: 'localhost:9000' } })).status).toBe(200);
  });

  it('sends a strict CSP with no script allowed, no caching, and no framing', async () => {
    const r = await get('/incidents');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await r.text()).not.toMatch(/<script/i);
  });
});

describe('sentra ui: decisions', () => {
  it('refuses a cookie-authenticated form without the CSRF field or from another origin', async () => {
    const [id] = await signalIds();
    const cookie = (await post('/login', { token: TOKEN }, { origin: base })).headers.get('set-cookie')!.split(';')[0]!;
    const form = { status: 'resolved', by: 'mallory', note: '' };
    expect((await post(`/signals/${id}/decision`, form, { cookie, origin: base })).status).toBe(403);
    expect((await post(`/signals/${id}/decision`, { ...form, csrf: token.csrf }, { cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(`/signals/${id}/decision`, { ...form, csrf: token.csrf }, { cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(readDecisions(stateDir).filter((d) => d.by === 'mallory')).toEqual([]);
  });

  it('records a decision in the chained log `sentra decide` writes, and refuses a bad one with the reason', async () => {
    const [id] = await signalIds();
    const cookie = (await post('/login', { token: TOKEN }, { origin: base })).headers.get('set-cookie')!.split(';')[0]!;
    const bad = await post(`/signals/${id}/decision`, { status: 'resolved', by: 'eve\u001b[2J', csrf: token.csrf }, { cookie, origin: base });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('&quot;by&quot; must be one line of printable text');
    const ok = await post(`/signals/${id}/decision`, { status: 'false-positive', by: 'alice', note: 'known scanner\r\nsecond line', csrf: token.csrf },
      { cookie, origin: base, 'sec-fetch-site': 'same-origin' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/signals/${id}?recorded=1`);
    const d = readDecisions(stateDir).at(-1)!;
    expect(d).toMatchObject({ signal_id: id, status: 'false-positive', by: 'alice', note: 'known scanner\nsecond line' });
    expect(chainProblem(rawDecisionLines(join(stateDir, 'decisions.jsonl')))).toBeNull();
    const page = await (await get(`/signals/${id}`)).text();
    expect(page).toContain('false positive</strong> by alice');
    expect(existsSync(join(stateDir, 'decisions.jsonl.lock'))).toBe(false);
  });

  it('records one entry per signal for an incident decision (bearer clients need no CSRF field)', async () => {
    const list = await (await get('/incidents?from=2026-01-01&to=2026-12-31')).text();
    const incident = /href="\/incidents\/([^"]+)"/.exec(list)![1]!;
    const before = readDecisions(stateDir).length;
    const r = await post(`/incidents/${incident}/decision`, { status: 'escalated', by: 'soc-bot', note: 'paged on-call' }, bearer);
    expect(r.status).toBe(303);
    const added = readDecisions(stateDir).slice(before);
    expect(added.length).toBeGreaterThan(1);
    expect(new Set(added.map((d) => d.status))).toEqual(new Set(['escalated']));
    const open = await (await get(`/incidents?from=2026-01-01&to=2026-12-31&decision=escalated`)).text();
    expect(open).toContain(`/incidents/${incident}`);
  });
});

describe('sentra ui: hostile text', () => {
  it('shows hostile account names and log lines as text, never as markup', async () => {
    const list = await (await get('/signals?from=2026-03-14&to=2026-03-14&host=web-09')).text();
    expect(list).not.toContain(HOSTILE_USER);
    expect(list).not.toContain(MENTION_USER);
    const ids = [...list.matchAll(/href="\/signals\/([0-9a-f]{12})"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(0);
    const pages = await Promise.all(ids.map(async (id) => (await get(`/signals/${id}`)).text()));
    const all = pages.join('\n');
    expect(all).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).not.toMatch(/<script|<img|<!channel>/i);
    const entity = await (await get(`/entities/account/${encodeURIComponent(MENTION_USER)}`)).text();
    expect(entity).toContain('Account <code>&lt;!channel&gt;</code>');
    expect(entity).toContain('203.0.113.66');
  });

  it('checks filters and says which were not used, without echoing them as markup', async () => {
    const r = await (await get('/signals?from=2026-02-30&address=<b>x</b>&band=severe')).text();
    expect(r).toContain('&quot;from&quot; must be a date');
    expect(r).toContain('&quot;address&quot; must be an IPv4 or IPv6 address');
    expect(r).toContain('&quot;band&quot; must be one of');
    expect(r).not.toContain('<b>x</b>');
  });
});

describe('sentra ui: the token file', () => {
  it('is created with mode 0600 when missing, and refused when others can read it', () => {
    const dir = tempDir('sentra-ui-token-');
    const file = join(dir, 'ui.token');
    const t = loadToken(file);
    expect(t.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(40);
    expect(loadToken(file).created).toBe(false);
    chmodSync(file, 0o644);
    expect(() => loadToken(file)).toThrow(/ui\.token: is open to other users \(mode 644\)/);
  });
});

describe('sentra ui: long lists', () => {
  it('shows 100 signals a page, newest first, with the filter kept in the page links', async () => {
    const dir = tempDir('sentra-ui-pages-');
    const store = new LocalStore(dir, { retention_days: 4000, max_mb: 100 });
    store.append(Array.from({ length: 250 }, (_, i) => signal({
      id: (0xa00000000000 + i).toString(16), first_seen: new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString(),
      last_seen: new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString(), title: `signal number ${i}`,
    })));
    writeFileSync(join(dir, 'ui.token'), `${TOKEN}\n`, { mode: 0o600 });
    const a = uiApp({ data: new UiData(dir, { retention_days: 4000, max_mb: 100 }), token: loadToken(join(dir, 'ui.token')), host: 'x', listenHost: '127.0.0.1' });
    const page = async (q: string) => (await a.request(`${base}/signals?from=2026-03-01&to=2026-03-01&kind=privilege-use${q}`, { headers: bearer })).text();
    const first = await page('');
    expect([...first.matchAll(/class="item /g)]).toHaveLength(100);
    expect(first).toContain('signal number 249');
    expect(first).toContain('Page 1 of 3 (1–100 of 250)');
    expect(first).toContain('href="/signals?from=2026-03-01&amp;to=2026-03-01&amp;kind=privilege-use&amp;page=2" rel="next"');
    const last = await page('&page=3');
    expect([...last.matchAll(/class="item /g)]).toHaveLength(50);
    expect(last).toContain('signal number 0<');
    expect(last).not.toContain('rel="next"');
    expect(await page('&page=0')).toContain('&quot;page&quot; must be a page number');
  });
});
