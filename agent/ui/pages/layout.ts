// agent/ui/pages/layout.ts: the page frame and the small pieces every page uses. Every value goes through
// hono/html's `html` template, which escapes it for HTML text and attributes; only fragments built by these
// templates are inserted as markup. Links are built from encoded path segments, never from log text as is.
import { html } from 'hono/html';
import type { Band } from '../../model.js';

export type Html = ReturnType<typeof html>;

export interface Frame {
  title: string;
  host: string;
  csrf: string;
  /** The navigation entry to mark as current. */
  section?: 'incidents' | 'signals' | 'ask' | 'fleet';
  /** Whether the fleet view (ClickHouse) is there, for the navigation. */
  fleet?: boolean;
  /** Only the login page is shown without the navigation and log-out form. */
  bare?: boolean;
}

export function page(f: Frame, body: Html): Html {
  const nav = (name: NonNullable<Frame['section']>, href: string, label: string): Html =>
    html`<a href="${href}"${f.section === name ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${f.title} · Sentra</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<span class="brand">Sentra <span class="muted">on ${f.host}</span></span>
${f.bare ? '' : html`<nav aria-label="Main">${nav('incidents', '/incidents', 'Incidents')} ${nav('signals', '/signals', 'Signals')} ${nav('ask', '/ask', 'Ask')}${f.fleet ? html` ${nav('fleet', '/fleet', 'Fleet')}` : ''}</nav>
<form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" value="${f.csrf}"><button type="submit">Log out</button></form>`}
</header>
<main id="main">
${body}
</main>
</body>
</html>`;
}

export const BAND_LABEL: Record<Band, string> = { high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

export const band = (b: Band, risk?: number): Html =>
  html`<span class="band band-${b}">${BAND_LABEL[b]}${risk === undefined ? '' : html` <span class="risk">${risk.toFixed(2)}</span>`}</span>`;

/** An ISO time as "2026-03-05 11:15 UTC", in a <time> element carrying the exact value. */
export const when = (iso: string): Html => html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;

export function span(first: string, last: string): Html {
  return first === last ? when(first) : html`${when(first)} to ${when(last)}`;
}

export const accountLink = (name: string): Html => html`<a class="entity" href="/entities/account/${encodeURIComponent(name)}">${name}</a>`;
export const addressLink = (ip: string): Html => html`<a class="entity" href="/entities/address/${encodeURIComponent(ip)}">${ip}</a>`;
export const signalLink = (id: string, text: string): Html => html`<a href="/signals/${encodeURIComponent(id)}">${text}</a>`;
export const incidentLink = (id: string, text: string): Html => html`<a href="/incidents/${encodeURIComponent(id)}">${text}</a>`;

const plural = new Intl.PluralRules('en');
/** "1 signal", "3 signals". */
export function count(n: number, one: string, other: string): string {
  return `${new Intl.NumberFormat('en').format(n)} ${plural.select(n) === 'one' ? one : other}`;
}

export function joined(items: readonly Html[]): Html {
  return html`${items.map((x, i) => (i === 0 ? x : html`, ${x}`))}`;
}

export function problemsBox(problems: readonly string[]): Html {
  return problems.length ? html`<div class="problems" role="alert"><p>Some filters were not used:</p><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : html``;
}
