// agent/ui/pages/detail.ts: one signal (factors, mappings, override, evidence, decisions) and one incident
// (timeline, links and their reasons, its signals), each with the decision form.
import { html } from 'hono/html';
import { DECISION_STATUSES } from '../../decisions/decisions.js';
import type { Decision } from '../../decisions/decisions.js';
import { accountsNamed, addressesNamed, type IncidentView, type SignalView } from '../data.js';
import { decisionBadge, signalItems } from './lists.js';
import { accountLink, addressLink, band, count, incidentLink, joined, signalLink, span, when, type Html } from './layout.js';

const STATUS_HELP: Record<(typeof DECISION_STATUSES)[number], string> = {
  reviewed: 'looked at, still open', resolved: 'dealt with', 'false-positive': 'not a real threat', escalated: 'handed on, still open',
};

export function decisionForm(action: string, csrf: string, what: string, problem?: string): Html {
  return html`<form method="post" action="${action}" class="decide" aria-labelledby="decide-h">
<h2 id="decide-h">Record a decision on ${what}</h2>
${problem ? html`<p class="problems" role="alert">${problem}</p>` : ''}
<fieldset><legend>Decision</legend>
${DECISION_STATUSES.map((s, i) => html`<label class="radio"><input type="radio" name="status" value="${s}"${i === 0 ? html` required` : ''}> ${s.replace('-', ' ')} <span class="muted">(${STATUS_HELP[s]})</span></label>`)}
</fieldset>
<label>By <input name="by" required maxlength="200" autocomplete="name"></label>
<label>Note <textarea name="note" rows="3" maxlength="4000"></textarea></label>
<input type="hidden" name="csrf" value="${csrf}">
<button type="submit">Record decision</button>
<p class="muted">Decisions are appended to the same log as <code>sentra decide</code> and cannot be edited; a later one supersedes it.</p>
</form>`;
}

function history(decisions: readonly Decision[]): Html {
  if (decisions.length === 0) return html`<p class="muted">No decision yet.</p>`;
  return html`<ol class="history">${decisions.map((d) => html`<li>${when(d.at)}: <strong>${d.status.replace('-', ' ')}</strong> by ${d.by}${d.note ? html`<blockquote>${d.note}</blockquote>` : ''}</li>`)}</ol>`;
}

const codes = (ids: readonly string[]): Html => (ids.length ? joined(ids.map((id) => html`<code>${id}</code>`)) : html`<span class="muted">none</span>`);

export function signalBody(v: SignalView, csrf: string, flash?: string, problem?: string): Html {
  const s = v.signal;
  const accounts = accountsNamed(s);
  const addresses = addressesNamed(s);
  return html`<p class="crumbs"><a href="/signals">Signals</a> › ${s.id}</p>
${flash ? html`<p class="flash" role="status">${flash}</p>` : ''}
<h1>${s.title}</h1>
<p>${band(s.band, s.risk)} ${s.action_required && !s.suppressed ? html`<span class="flag">action required</span>` : html`<span class="muted">no action required</span>`} ${decisionBadge(v)}</p>
<p>${s.explanation}</p>
<p><strong>What to do:</strong> ${s.recommended_action}</p>
<dl class="facts">
<dt>Host</dt><dd>${s.host}</dd>
<dt>When</dt><dd>${span(s.first_seen, s.last_seen)}</dd>
<dt>Kind</dt><dd>${s.kind} <span class="muted">(${s.intent})</span></dd>
<dt>Events</dt><dd>${count(s.count, 'event', 'events')}</dd>
${accounts.length ? html`<dt>Accounts</dt><dd>${joined(accounts.map(accountLink))}</dd>` : ''}
${addresses.length ? html`<dt>Addresses</dt><dd>${joined(addresses.map(addressLink))}</dd>` : ''}
${s.incident_id ? html`<dt>Incident</dt><dd>${incidentLink(s.incident_id, s.incident_id)}</dd>` : ''}
<dt>Signal id</dt><dd><code>${s.id}</code></dd>
</dl>
<h2>Why this risk</h2>
<table class="factors"><thead><tr><th scope="col">Factor</th><th scope="col">Weight</th><th scope="col">Detail</th></tr></thead>
<tbody>${s.factors.map((f) => html`<tr><td>${f.name}</td><td class="num">${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(2)}</td><td>${f.detail}</td></tr>`)}</tbody></table>
<h2>Mappings</h2>
<dl class="facts">
<dt>ATT&amp;CK</dt><dd>${codes(s.mitre)}</dd>
<dt>SOC 2</dt><dd>${codes(s.soc2)}</dd>
<dt>ISO 27001:2022</dt><dd>${codes(s.iso27001)}</dd>
<dt>Rules</dt><dd>${codes(s.rules)}</dd>
</dl>
<h2>Override</h2>
${s.override ? html`<p>${s.override.action === 'resolve' ? 'Resolved' : 'Suppressed'} by override <code>${s.override.id}</code>: ${s.override.reason}${s.override.reviewer ? html` (reviewed by ${s.override.reviewer})` : ''}.</p>`
    : s.overrides_matched?.length ? html`<p>Matched ${codes(s.overrides_matched)} without being suppressed.</p>` : html`<p class="muted">No override applies.</p>`}
<h2>Evidence</h2>
<p class="muted">${count(s.evidence.length, 'line', 'lines')} kept, exactly as logged (written by the host, and possibly by an attacker).</p>
<ol class="evidence">${s.evidence.map((e) => html`<li><div class="meta">${when(e.ts)} · ${e.source}</div><pre>${e.line}</pre></li>`)}</ol>
<h2>Decisions</h2>
${history(v.decisions)}
${decisionForm(`/signals/${encodeURIComponent(s.id)}/decision`, csrf, 'this signal', problem)}`;
}

export function incidentBody(v: IncidentView, csrf: string, flash?: string, problem?: string): Html {
  const i = v.incident;
  return html`<p class="crumbs"><a href="/incidents">Incidents</a> › ${i.id}</p>
${flash ? html`<p class="flash" role="status">${flash}</p>` : ''}
<h1>${i.title}</h1>
<p>${band(i.band, i.risk)} ${i.action_required && !i.suppressed ? html`<span class="flag">action required</span>` : html`<span class="muted">no action required</span>`} <span class="state ${v.open ? 'state-open' : 'state-closed'}">${v.open ? 'open' : 'closed'}</span></p>
<p>${i.explanation}</p>
<p><strong>What to do:</strong> ${i.recommended_action}</p>
<dl class="facts">
<dt>Hosts</dt><dd>${i.hosts.join(', ')}</dd>
<dt>When</dt><dd>${span(i.first_seen, i.last_seen)}</dd>
${i.entities.accounts.length ? html`<dt>Accounts</dt><dd>${joined(i.entities.accounts.map(accountLink))}</dd>` : ''}
${i.entities.addresses.length ? html`<dt>Addresses</dt><dd>${joined(i.entities.addresses.map(addressLink))}</dd>` : ''}
<dt>Tactics</dt><dd>${i.tactics.join(', ')}</dd>
<dt>ATT&amp;CK</dt><dd>${codes(i.mitre)}</dd>
<dt>Incident id</dt><dd><code>${i.id}</code></dd>
</dl>
<h2>Timeline</h2>
<ol class="timeline">${i.timeline.map((t) => html`<li>${when(t.time)} <span class="tactic">${t.tactic}</span> on ${t.host}: ${signalLink(t.signal_id, t.description)}</li>`)}</ol>
<h2>Why these belong together</h2>
<ul class="links">${i.links.map((l) => html`<li>${signalLink(l.signal_id, l.signal_id)}${l.linked_to ? html` ← ${signalLink(l.linked_to, l.linked_to)}` : html` (first)`}: ${l.reason}</li>`)}</ul>
<h2>Signals</h2>
${signalItems(v.signals)}
<h2>Decisions</h2>
<ul class="history">${v.signals.map((s) => html`<li>${signalLink(s.signal.id, s.signal.id)}: ${decisionBadge(s)}</li>`)}</ul>
${decisionForm(`/incidents/${encodeURIComponent(i.id)}/decision`, csrf, `all ${count(v.signals.length, 'signal', 'signals')} of this incident`, problem)}`;
}
