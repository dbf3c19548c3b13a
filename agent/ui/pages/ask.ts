// agent/ui/pages/ask.ts: the question box. The answer shows first how the question was understood (the
// filter, or the query that was run), then the rows; a question that was not understood or a query that was
// refused says so with the reason. Every value is escaped like any log text.
import { html } from 'hono/html';
import { redact } from '../../redact.js';
import { count, signalLink, when, type Html } from './layout.js';

/** The part of `sentra ask`'s answer the page shows (agent/query/ask.ts). */
export interface AskAnswer {
  understood: null | { kind: string; text: string; sql?: string; filter?: unknown };
  results: Array<Record<string, unknown>>;
  source: string;
  via: string;
  notes: string[];
  refused?: { code: string; reason: string };
  suggestions?: string[];
}
export type AskFn = (question: string) => Promise<AskAnswer>;

const EXAMPLES = ['which accounts logged in from new addresses this month', 'failed logins last week', 'sudo use since Monday', 'top addresses in the last 7 days'];

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** One value of an answer: lists joined, times shortened, a signal id linked to its page. */
function cell(key: string, v: unknown): Html | string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  if (typeof v === 'string' && ISO.test(v)) return when(v);
  if (typeof v === 'string' && key === 'id' && /^[0-9a-f]{12}$/.test(v)) return signalLink(v, v);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function table(rows: ReadonlyArray<Record<string, unknown>>): Html {
  if (rows.length === 0) return html`<p class="empty">No rows.</p>`;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return html`<div class="answer"><table><thead><tr>${cols.map((k) => html`<th scope="col">${k}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${cols.map((k) => html`<td>${cell(k, r[k])}</td>`)}</tr>`)}</tbody></table></div>`;
}

export async function askBody(q: string, ask: AskFn | undefined): Promise<Html> {
  const form = html`<h1>Ask</h1>
<form method="get" action="/ask" class="decide" role="search">
<label>Question <input name="q" value="${q}" maxlength="500" placeholder="${EXAMPLES[0]}"></label>
<button type="submit">Ask</button>
</form>`;
  if (!q) return html`${form}<p class="muted">For example: ${EXAMPLES.map((e, i) => html`${i ? ' · ' : ''}<a href="/ask?q=${encodeURIComponent(e)}">${e}</a>`)}</p>`;
  if (!ask) return html`${form}<p class="problems">Questions are not available in this view.</p>`;
  let a: AskAnswer;
  try {
    a = await ask(q);
  } catch (err) {
    // ClickHouse down, a store that cannot be read: said on the page, with any credentials taken out.
    return html`${form}<p class="problems" role="alert">Sentra could not answer: ${redact((err as Error).message)}</p>`;
  }
  if (a.refused) return html`${form}<p class="problems" role="alert">Refused (${a.refused.code}): ${a.refused.reason}</p>${a.understood ? understood(a) : ''}`;
  if (!a.understood) {
    return html`${form}<p class="problems" role="alert">Sentra did not understand this question.</p>
${a.suggestions?.length ? html`<p>Questions it understands:</p><ul>${a.suggestions.map((s) => html`<li><a href="/ask?q=${encodeURIComponent(s)}">${s}</a></li>`)}</ul>` : ''}`;
  }
  return html`${form}${understood(a)}
<h2>Answer <span class="muted">(${count(a.results.length, 'row', 'rows')} from ${a.source === 'clickhouse' ? 'ClickHouse' : 'the local store'})</span></h2>
${a.notes.length ? html`<ul class="muted">${a.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
${table(a.results)}`;
}

function understood(a: AskAnswer): Html {
  const u = a.understood!;
  return html`<h2>Understood as</h2><p>${u.text} <span class="muted">(${a.via === 'ai' ? 'translated by the AI model and checked by Sentra' : 'Sentra\'s own parser'})</span></p>
${u.sql ? html`<pre>${u.sql}</pre>` : u.filter !== undefined ? html`<pre>${JSON.stringify(u.filter, null, 2)}</pre>` : ''}`;
}
