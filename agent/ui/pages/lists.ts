// agent/ui/pages/lists.ts: the incidents and signals lists, each under the same filter form (a plain GET
// form, so a filtered view is a link that can be kept or shared within the tunnel).
import { html } from 'hono/html';
import { BANDS, DECISION_FILTERS, filterQuery, PAGE_SIZE, type ListFilter } from '../filters.js';
import { isOpen, type IncidentView, type SignalView } from '../data.js';
import { accountLink, addressLink, band, count, incidentLink, joined, problemsBox, signalLink, span, type Html } from './layout.js';

const DECISION_LABEL: Record<(typeof DECISION_FILTERS)[number], string> = {
  open: 'open (not resolved)', closed: 'closed (resolved or false positive)', undecided: 'no decision yet',
  reviewed: 'reviewed', resolved: 'resolved', 'false-positive': 'false positive', escalated: 'escalated',
};

export function filterForm(action: string, f: ListFilter, kinds: readonly string[]): Html {
  const text = (name: 'host' | 'account' | 'address', label: string, hint: string): Html => html`<label>${label}
<input name="${name}" value="${f[name] ?? ''}" placeholder="${hint}" autocomplete="off" spellcheck="false"></label>`;
  const select = (name: string, label: string, options: ReadonlyArray<[string, string]>, value: string | undefined): Html => html`<label>${label}
<select name="${name}"><option value="">any</option>${options.map(([v, l]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${l}</option>`)}</select></label>`;
  return html`<form method="get" action="${action}" class="filters" aria-label="Filters">
<label>From <input type="date" name="from" value="${f.from ?? ''}"></label>
<label>To <input type="date" name="to" value="${f.to ?? ''}"></label>
${text('host', 'Host', 'web-01')}
${select('band', 'Band and above', BANDS.map((b) => [b, b]), f.band)}
${select('kind', 'Kind', kinds.map((k) => [k, k]), f.kind)}
${text('account', 'Account', 'deploy')}
${text('address', 'Address', '203.0.113.7')}
${select('decision', 'Decision', DECISION_FILTERS.map((d) => [d, DECISION_LABEL[d]]), f.decision)}
<div class="buttons"><button type="submit">Filter</button> <a href="${action}">Clear</a></div>
</form>`;
}

const windowText = (f: ListFilter): string => (f.from || f.to ? `${f.from ?? 'the start'} to ${f.to ?? 'now'}` : 'the last 30 days');

export function decisionBadge(v: SignalView): Html {
  if (!v.current) return html`<span class="state state-open">no decision</span>`;
  return html`<span class="state ${isOpen(v) ? 'state-open' : 'state-closed'}">${v.current.status.replace('-', ' ')} by ${v.current.by}</span>`;
}

export function signalItems(views: readonly SignalView[]): Html {
  if (views.length === 0) return html`<p class="empty">No signals match.</p>`;
  return html`<ol class="items">${views.map((v) => {
    const s = v.signal;
    return html`<li class="item item-${s.band}">
<div class="line1">${band(s.band, s.risk)} ${signalLink(s.id, s.title)}${s.action_required && !s.suppressed ? html` <span class="flag">action required</span>` : ''}${s.suppressed ? html` <span class="muted">(${s.override?.action === 'resolve' ? 'resolved' : 'suppressed'} by an override)</span>` : ''}</div>
<div class="meta">${s.host} · ${s.kind} · ${span(s.first_seen, s.last_seen)} · ${decisionBadge(v)}${s.incident_id ? html` · in ${incidentLink(s.incident_id, `incident ${s.incident_id}`)}` : ''}</div>
</li>`;
  })}</ol>`;
}

export function incidentItems(views: readonly IncidentView[]): Html {
  if (views.length === 0) return html`<p class="empty">No incidents match.</p>`;
  return html`<ol class="items">${views.map(({ incident: i, signals, open }) => html`<li class="item item-${i.band}">
<div class="line1">${band(i.band, i.risk)} ${incidentLink(i.id, i.title)}${i.action_required && !i.suppressed ? html` <span class="flag">action required</span>` : ''}</div>
<div class="meta">${i.hosts.join(', ')} · ${span(i.first_seen, i.last_seen)} · ${count(signals.length, 'signal', 'signals')} · <span class="state ${open ? 'state-open' : 'state-closed'}">${open ? 'open' : 'closed'}</span></div>
${i.entities.accounts.length || i.entities.addresses.length ? html`<div class="meta">${joined([...i.entities.accounts.map(accountLink), ...i.entities.addresses.map(addressLink)])}</div>` : ''}
</li>`)}</ol>`;
}

/** One page of a list, with links to the pages before and after; the filter stays in the links. */
function paged<T>(action: string, f: ListFilter, all: readonly T[], render: (items: readonly T[]) => Html): Html {
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const items = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  if (pages === 1) return render(items);
  return html`${render(items)}
<nav class="pages" aria-label="Pages">${page > 1 ? html`<a href="${action}${filterQuery(f, page - 1)}" rel="prev">Newer</a>` : ''}
<span>Page ${page} of ${pages} (${(page - 1) * PAGE_SIZE + 1}–${(page - 1) * PAGE_SIZE + items.length} of ${all.length})</span>
${page < pages ? html`<a href="${action}${filterQuery(f, page + 1)}" rel="next">Older</a>` : ''}</nav>`;
}

export function incidentsBody(f: ListFilter, problems: string[], views: IncidentView[], kinds: string[]): Html {
  return html`<h1>Incidents</h1>
<p class="lede">Signals linked into one story each: ${count(views.length, 'incident', 'incidents')} in ${windowText(f)}${views.length ? html`; ${views.filter((v) => v.open).length} still open, ${views.filter((v) => v.open && v.incident.action_required && !v.incident.suppressed).length} of them with action required` : ''}.</p>
${problemsBox(problems)}
${filterForm('/incidents', f, kinds)}
${paged('/incidents', f, views, incidentItems)}`;
}

export function signalsBody(f: ListFilter, problems: string[], views: SignalView[], kinds: string[]): Html {
  return html`<h1>Signals</h1>
<p class="lede">${count(views.length, 'signal', 'signals')} in ${windowText(f)}, newest first${views.length ? html`; ${views.filter((v) => isOpen(v) && v.signal.action_required && !v.signal.suppressed).length} still open with action required` : ''}.</p>
${problemsBox(problems)}
${filterForm('/signals', f, kinds)}
${paged('/signals', f, views, signalItems)}`;
}
