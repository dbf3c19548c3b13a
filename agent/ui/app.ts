// agent/ui/app.ts: the routes of `sentra ui`. Read-only over the store, except the two decision forms, which
// append to the same hash-chained log as `sentra decide`. Security (host names, headers, token, CSRF) is in
// security.ts and applies to every route.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { isIP } from 'node:net';
import { now as clockNow } from '../clock.js';
import { isSentraError } from '../errors.js';
import type { DecisionStatus } from '../decisions/decisions.js';
import type { LogFn } from '../daemon/log.js';
import { UiData } from './data.js';
import { parseFilter } from './filters.js';
import { csrfOk, headers, hostGuard, noStore, requireToken, safeNext, sameOrigin, SESSION_COOKIE, type UiEnv } from './security.js';
import { STYLE } from './style.js';
import type { UiToken } from './token.js';
import { incidentBody, signalBody } from './pages/detail.js';
import { entityBody } from './pages/entity.js';
import { page, type Frame, type Html } from './pages/layout.js';
import { incidentsBody, signalsBody } from './pages/lists.js';
import { loginBody } from './pages/login.js';
import { askBody, type AskFn } from './pages/ask.js';
import { fleetBody } from './pages/fleet.js';
import { parseFleetFilter, type UiFleet } from './fleet.js';

export interface UiOptions {
  data: UiData;
  token: UiToken;
  /** This host's name, shown in the header. */
  host: string;
  /** The address listened on, which the Host header may name besides loopback names. */
  listenHost: string;
  allowedHosts?: readonly string[];
  /** Whether the session cookie gets the Secure attribute (behind TLS). */
  secureCookie?: boolean;
  ask?: AskFn;
  /** The fleet view, when ClickHouse is configured. */
  fleet?: UiFleet;
  log?: LogFn;
}

const ID = /^[0-9a-f]{12}$/;
const INCIDENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function uiApp(o: UiOptions): Hono<UiEnv> {
  const app = new Hono<UiEnv>();
  const log = o.log ?? (() => {});
  app.use('*', hostGuard(o.listenHost, o.allowedHosts), headers, noStore);
  app.use('*', bodyLimit({ maxSize: 32 * 1024, onError: (c) => c.text('The form is too large.\n', 413) }));
  app.get('/static/style.css', (c) => c.body(STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.use('*', requireToken(o.token));

  const frame = (title: string, section?: Frame['section']): Frame => ({ title, host: o.host, csrf: o.token.csrf, fleet: o.fleet !== undefined, ...(section ? { section } : {}) });
  const show = (c: Context<UiEnv>, f: Frame, body: Html, status: 200 | 400 | 403 | 404 = 200) => c.html(page(f, body), status);
  const notFound = (c: Context<UiEnv>, what: string) => show(c, frame('Not found'), html`<h1>Not found</h1><p>${what}</p>`, 404);

  app.get('/login', (c) => show(c, { ...frame('Log in'), bare: true }, loginBody(safeNext(c.req.query('next')), false, o.token.file)));
  app.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(body.next);
    if (!sameOrigin(c) || typeof body.token !== 'string' || !o.token.matches(body.token)) {
      log('warn', 'ui: a login was refused', { remote: remoteOf(c) });
      return show(c, { ...frame('Log in'), bare: true }, loginBody(next, true, o.token.file), 403);
    }
    setCookie(c, SESSION_COOKIE, o.token.session, { httpOnly: true, sameSite: 'Strict', path: '/', secure: o.secureCookie === true });
    return c.redirect(next, 303);
  });
  app.post('/logout', async (c) => {
    if (!csrfOk(c, o.token, (await c.req.parseBody()).csrf)) return c.text('This form did not come from this page.\n', 403);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });

  app.get('/', (c) => c.redirect('/incidents', 303));
  app.get('/incidents', (c) => {
    const { filter, problems } = parseFilter(new URL(c.req.url).searchParams, clockNow());
    const { views, kinds } = o.data.incidents(filter);
    return show(c, frame('Incidents', 'incidents'), incidentsBody(filter, problems, views, kinds));
  });
  app.get('/signals', (c) => {
    const { filter, problems } = parseFilter(new URL(c.req.url).searchParams, clockNow());
    const { views, kinds } = o.data.signals(filter);
    return show(c, frame('Signals', 'signals'), signalsBody(filter, problems, views, kinds));
  });
  app.get('/signals/:id', (c) => {
    const id = c.req.param('id');
    const v = ID.test(id) ? o.data.signal(id) : undefined;
    return v ? show(c, frame(v.signal.title, 'signals'), signalBody(v, o.token.csrf, c.req.query('recorded') ? 'Decision recorded.' : undefined))
      : notFound(c, 'No signal with this id is in the store.');
  });
  app.get('/incidents/:id', (c) => {
    const id = c.req.param('id');
    const v = INCIDENT_ID.test(id) ? o.data.incident(id) : undefined;
    return v ? show(c, frame(v.incident.title, 'incidents'), incidentBody(v, o.token.csrf, c.req.query('recorded') ? 'Decision recorded on each signal.' : undefined))
      : notFound(c, 'No incident with this id is in the store.');
  });
  app.get('/entities/:kind/:value', (c) => {
    const kind = c.req.param('kind');
    const value = c.req.param('value');
    if ((kind !== 'account' && kind !== 'address') || (kind === 'address' && !isIP(value)) || value.length > 128) return notFound(c, 'Entities are accounts or addresses.');
    return show(c, frame(`${kind} ${value}`), entityBody(o.data.entity(kind, value)));
  });

  // A decision: on one signal, or on every signal of an incident (one log entry each).
  const decide = async (c: Context<UiEnv>, ids: string[], back: string, again: (problem: string) => Html): Promise<Response> => {
    const body = await c.req.parseBody();
    if (!csrfOk(c, o.token, body.csrf)) return c.text('This form did not come from this page (CSRF check failed); reload it and try again.\n', 403);
    const d = { status: String(body.status ?? '') as DecisionStatus, by: String(body.by ?? ''), note: String(body.note ?? '').replace(/\r\n/g, '\n') };
    try {
      for (const id of ids) o.data.record(id, d);
    } catch (err) {
      if (!isSentraError(err)) throw err;
      return show(c, frame('Decision not recorded'), again(err.message.replace(/--(status|by|note)\b/g, '"$1"')), 400);
    }
    log('info', 'ui: decision recorded', { signals: ids, status: d.status, by: d.by });
    return c.redirect(`${back}?recorded=1`, 303);
  };
  app.post('/signals/:id/decision', async (c) => {
    const id = c.req.param('id');
    const v = ID.test(id) ? o.data.signal(id) : undefined;
    if (!v) return notFound(c, 'No signal with this id is in the store.');
    return decide(c, [id], `/signals/${id}`, (p) => signalBody(v, o.token.csrf, undefined, p));
  });
  app.post('/incidents/:id/decision', async (c) => {
    const id = c.req.param('id');
    const v = INCIDENT_ID.test(id) ? o.data.incident(id) : undefined;
    if (!v || v.signals.length === 0) return notFound(c, 'No incident with this id and its signals is in the store.');
    return decide(c, v.signals.map((s) => s.signal.id), `/incidents/${encodeURIComponent(id)}`, (p) => incidentBody(v, o.token.csrf, undefined, p));
  });

  app.get('/ask', async (c) => {
    const q = (c.req.query('q') ?? '').trim();
    return show(c, frame('Ask', 'ask'), await askBody(q, o.ask));
  });
  app.get('/fleet', async (c) => {
    if (!o.fleet) return notFound(c, 'The fleet view needs ClickHouse (clickhouse.enabled in the config).');
    const { filter, problems } = parseFleetFilter(new URL(c.req.url).searchParams, clockNow());
    if (problems.length) return show(c, frame('Fleet', 'fleet'), fleetBody(filter, problems, { error: 'the filters above are not valid' }));
    const [facts, signals] = await Promise.all([o.fleet.facts(filter), o.fleet.signals(filter)]);
    return show(c, frame('Fleet', 'fleet'), fleetBody(filter, problems, facts, signals));
  });
  app.notFound((c) => notFound(c, 'There is no such page.'));
  app.onError((err, c) => {
    log('error', 'ui: a request failed', { path: c.req.path, error: err.message });
    return c.text('Something went wrong; the agent\'s log has the details.\n', 500);
  });
  return app;
}

function remoteOf(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
