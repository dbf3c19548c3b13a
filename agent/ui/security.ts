// agent/ui/security.ts: what every request to `sentra ui` passes through. The view shows attacker-written
// text (user names, log lines) to an analyst who can record decisions, so it is locked down by default:
// only the names of this host are served (no DNS rebinding), a strict Content-Security-Policy (no script
// at all), no caching, a token on every request (bearer, or the session cookie the login form sets), and
// on cookie-authenticated form posts a CSRF field plus a same-origin check.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import { equalSecret, type UiToken } from './token.js';

export const SESSION_COOKIE = 'sentra_session';
export type Auth = 'bearer' | 'cookie';
export type UiEnv = { Variables: { auth: Auth } };

/** Pages that need no token: the login form and the style sheet. */
const PUBLIC = new Set(['/login', '/static/style.css']);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A host (as --listen names it, without brackets) that only this machine can reach. */
export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** Names the Host header may carry: loopback names (an SSH tunnel may use any port) and the address listened on. */
export function hostGuard(listenHost: string, extra: readonly string[] = []): MiddlewareHandler {
  const allowed = new Set([...LOOPBACK, listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost, ...extra]
    .map((h) => h.toLowerCase()));
  return async (c, next) => {
    // The request URL's host is the Host header (@hono/node-server builds the URL from it).
    const host = new URL(c.req.url).hostname.toLowerCase();
    if (!allowed.has(host)) return c.text('This address is not one sentra ui answers on (see ui.allowed_hosts).\n', 421);
    await next();
  };
}

export const headers: MiddlewareHandler = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"], styleSrc: ["'self'"], imgSrc: ["'self'"], formAction: ["'self'"],
    frameAncestors: ["'none'"], baseUri: ["'none'"],
  },
  // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on form posts.
  referrerPolicy: 'same-origin',
  strictTransportSecurity: false,
  xFrameOptions: 'DENY',
  crossOriginResourcePolicy: 'same-origin',
  crossOriginOpenerPolicy: 'same-origin',
  permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
});

export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
};

/** A bearer token or the session cookie on every request but the public ones. */
export function requireToken(token: UiToken): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    if (PUBLIC.has(c.req.path)) return next();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (bearer !== undefined && token.matches(bearer)) {
      c.set('auth', 'bearer');
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    if (bearer === undefined && cookie !== undefined && equalSecret(cookie, token.session)) {
      c.set('auth', 'cookie');
      return next();
    }
    if (c.req.method === 'GET' && bearer === undefined && (c.req.header('accept') ?? '').includes('text/html')) {
      return c.redirect(`/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search))}`, 303);
    }
    c.header('WWW-Authenticate', 'Bearer realm="sentra"');
    return c.text('A token is needed: Authorization: Bearer TOKEN, or log in at /login.\n', 401);
  };
}

/** True when a form post comes from this site's own page: Origin (or Sec-Fetch-Site) says so. */
export function sameOrigin(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  if (origin === 'null') return site === 'same-origin';
  try {
    return new URL(origin).host.toLowerCase() === new URL(c.req.url).host.toLowerCase();
  } catch {
    return false;
  }
}

/** A form post made with the session cookie must carry the CSRF field and come from this origin. */
export function csrfOk(c: Context<UiEnv>, token: UiToken, field: unknown): boolean {
  if (c.get('auth') === 'bearer') return true;
  return typeof field === 'string' && equalSecret(field, token.csrf) && sameOrigin(c);
}

/** Where to go after logging in: only a path on this site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s\\]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}
