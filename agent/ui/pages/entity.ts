// agent/ui/pages/entity.ts: one account or one address, over everything the store still holds.
import { html } from 'hono/html';
import type { EntityView } from '../data.js';
import { incidentItems, signalItems } from './lists.js';
import { accountLink, addressLink, count, joined, span, type Html } from './layout.js';

export function entityBody(e: EntityView): Html {
  const other = e.kind === 'account' ? 'Addresses' : 'Accounts';
  return html`<p class="crumbs"><a href="/signals">Signals</a> › ${e.kind}</p>
<h1>${e.kind === 'account' ? 'Account' : 'Address'} <code>${e.value}</code></h1>
${e.signals.length === 0 ? html`<p>Sentra holds nothing about this ${e.kind} (the store keeps signals for its retention period).</p>` : html`
<dl class="facts">
<dt>Seen</dt><dd>${span(e.first_seen!, e.last_seen!)}</dd>
<dt>Hosts</dt><dd>${e.hosts.join(', ')}</dd>
<dt>${other}</dt><dd>${e.related.length ? joined(e.related.map(e.kind === 'account' ? addressLink : accountLink)) : html`<span class="muted">none</span>`}</dd>
<dt>In</dt><dd>${count(e.signals.length, 'signal', 'signals')}, ${count(e.incidents.length, 'incident', 'incidents')}</dd>
</dl>
<h2>Incidents</h2>
${incidentItems(e.incidents)}
<h2>Signals</h2>
${signalItems(e.signals)}`}`;
}
