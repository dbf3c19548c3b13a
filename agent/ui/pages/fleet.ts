// agent/ui/pages/fleet.ts: the fleet view (ClickHouse): every host's newest signals for a period, as the
// fleet report tells them: incidents across hosts, playbooks, hosts by risk, what needs action, addresses
// seen on several hosts, accounts with the same pattern on several hosts, and agents that went quiet.
import { html } from 'hono/html';
import type { FleetFacts } from '../../../reports/fleet/facts.js';
import { FLEET_SIGNALS, type FleetFilter } from '../fleet.js';
import { BANDS, isBand } from '../filters.js';
import type { Row } from '../../query/local.js';
import { accountLink, addressLink, band, count, joined, problemsBox, span, when, type Html } from './layout.js';
import type { Band } from '../../model.js';

const asBand = (b: string): Band => (isBand(b) ? b : 'info');

function form(f: FleetFilter): Html {
  return html`<form method="get" action="/fleet" class="filters" aria-label="Filters">
<label>From <input type="date" name="from" value="${f.from ?? ''}"></label>
<label>To <input type="date" name="to" value="${f.to ?? ''}"></label>
<label>Tenant <input name="tenant" value="${f.tenant ?? ''}" placeholder="every tenant" autocomplete="off" spellcheck="false"></label>
<label>Host <input name="host" value="${f.host ?? ''}" placeholder="any host" autocomplete="off" spellcheck="false"></label>
<label>Band and above <select name="band"><option value="">any</option>${BANDS.map((b) => html`<option value="${b}"${b === f.band ? html` selected` : ''}>${b}</option>`)}</select></label>
<label>Account <input name="account" value="${f.account ?? ''}" placeholder="deploy" autocomplete="off" spellcheck="false"></label>
<label>Address <input name="address" value="${f.address ?? ''}" placeholder="203.0.113.7" autocomplete="off" spellcheck="false"></label>
<div class="buttons"><button type="submit">Show</button> <a href="/fleet">Clear</a></div>
</form>`;
}

function table(head: readonly string[], rows: readonly Html[][]): Html {
  return html`<div class="answer"><table><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table></div>`;
}

type FleetSignals = { tenant: string; rows: Row[] } | { error: string };

function signalsSection(f: FleetFilter, signals: FleetSignals): Html {
  const narrowed = [f.host && `host ${f.host}`, f.band && `${f.band} and above`, f.account && `account ${f.account}`, f.address && `address ${f.address}`]
    .filter((x): x is string => Boolean(x));
  if ('error' in signals) return html`<h2>Signals</h2><p class="problems" role="alert">ClickHouse could not answer: ${signals.error}</p>`;
  const str = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : String(v ?? ''));
  return html`<section id="fleet-signals"><h2>Signals of tenant ${signals.tenant}${narrowed.length ? html` <span class="muted">(${narrowed.join(', ')})</span>` : ''}</h2>
${signals.rows.length === 0 ? html`<p class="empty">No signals match.</p>` : html`<p class="muted">${count(signals.rows.length, 'signal', 'signals')}, riskiest first${signals.rows.length >= FLEET_SIGNALS ? html` (the first ${FLEET_SIGNALS}: narrow the filters)` : ''}.</p>
<ol class="items">${signals.rows.map((r) => html`<li class="item item-${asBand(str(r.band))}">
<div class="line1">${band(asBand(str(r.band)), Number(r.risk))} ${str(r.title)}</div>
<div class="meta">${str(r.host)} · ${str(r.kind)} · ${span(str(r.first_seen), str(r.last_seen))}${str(r.users) ? html` · ${str(r.users)}` : ''}${str(r.addresses) ? html` · ${str(r.addresses)}` : ''} · <code>${str(r.id)}</code></div>
</li>`)}</ol>`}</section>`;
}

export function fleetBody(f: FleetFilter, problems: string[], facts: FleetFacts | { error: string }, signals?: FleetSignals): Html {
  const top = html`<h1>Fleet</h1>${problemsBox(problems)}${form(f)}`;
  if ('error' in facts) return html`${top}<p class="problems" role="alert">ClickHouse could not answer: ${facts.error}</p>`;
  return html`${top}
<p class="lede">${when(facts.since)} to ${when(facts.until)}${facts.tenant ? html`, tenant ${facts.tenant}` : ', every tenant'}.</p>
<p>${facts.opening}</p>
<h2>Incidents across hosts</h2>
${facts.incidents.length === 0 ? html`<p class="empty">No story spans several hosts.</p>` : html`<ol class="items">${facts.incidents.map((i) => html`<li class="item item-${i.band}">
<div class="line1">${band(i.band, i.risk)} <strong>${i.title}</strong></div>
<div class="meta">${i.hosts.join(', ')} · ${span(i.first_seen, i.last_seen)}</div>
<p>${i.explanation}</p><p><strong>What to do:</strong> ${i.recommended_action}</p>
<details><summary>Timeline and links</summary>
<ol class="timeline">${i.timeline.map((t) => html`<li>${when(t.time)} <span class="tactic">${t.tactic}</span> on ${t.host}: ${t.description}</li>`)}</ol>
<ul class="links">${i.links.map((l) => html`<li>${l.reason}</li>`)}</ul></details>
</li>`)}</ol>`}
<h2>Playbooks</h2>
${facts.playbooks.length === 0 ? html`<p class="empty">Nothing needs a fleet-wide action.</p>`
    : html`<ol>${facts.playbooks.map((p) => html`<li><strong>${p.action}</strong><div class="meta">${p.addresses.length ? html`${joined(p.addresses.map(addressLink))} · ` : ''}${count(p.hosts.length, 'host', 'hosts')}: ${p.hosts.join(', ')} · ${count(p.signals.length, 'signal', 'signals')}</div></li>`)}</ol>`}
<h2>Need action</h2>
${facts.needs_action.length === 0 ? html`<p class="empty">No signal needs action.</p>` : html`<ol class="items">${facts.needs_action.map((s) => html`<li class="item item-${asBand(s.band)}">
<div class="line1">${band(asBand(s.band), s.risk)} ${s.title}</div>
<div class="meta">${s.tenant}/${s.host} · ${when(s.first_seen)} · <code>${s.id}</code></div>
<p>${s.recommended_action}</p></li>`)}</ol>`}
<h2>Hosts by risk</h2>
${table(['Host', 'Highest risk', 'Need action', 'Signals'], facts.hosts.map((h) => [html`${h.tenant}/${h.host}`, html`${h.max_risk.toFixed(2)}`, html`${h.needs_action}`, html`${h.signals}`]))}
<h2>Addresses on several hosts, or that got in after failing</h2>
${facts.addresses.length === 0 ? html`<p class="empty">None.</p>` : table(['Address', 'Verdict', 'Hosts', 'Lines', 'Accounts'], facts.addresses.map((a) => [
    addressLink(a.ip), html`${a.verdict}`, html`${a.per_host.map((h) => `${h.tenant}/${h.host} (${h.outcome})`).join(', ')}`, html`${a.lines}`,
    joined([...new Set(a.per_host.flatMap((h) => h.accounts))].map(accountLink))]))}
<h2>Accounts with one pattern on several hosts</h2>
${facts.shared_accounts.length === 0 ? html`<p class="empty">None.</p>` : table(['Account', 'Tenant', 'Kind', 'Hosts'], facts.shared_accounts.map((a) => [
    accountLink(a.account), html`${a.tenant}`, html`${a.kind}`, html`${a.hosts.join(', ')}`]))}
<h2>Agents that went quiet</h2>
${facts.silent_hosts.length === 0 ? html`<p class="empty">Every agent reported within ${count(facts.silent_after_minutes, 'minute', 'minutes')}.</p>`
    : table(['Host', 'Last heartbeat', 'Agent', 'Waiting to send'], facts.silent_hosts.map((h) => [html`${h.tenant}/${h.host}`, when(h.last_heartbeat), html`${h.agent_version}`,
      html`${count(h.spool_records, 'signal version', 'signal versions')}`]))}
${signals ? signalsSection(f, signals) : ''}
<p class="muted">Account and address links open what this host's own store holds about them. Decisions are made on each host.</p>`;
}
