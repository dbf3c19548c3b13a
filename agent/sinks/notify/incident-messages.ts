// agent/sinks/notify/incident-messages.ts: one message per incident instead of one per signal, and when to
// send it again: when the incident grows (a new step) or its band rises. Never for a suppressed incident.
//
// Webhook body (type "incident"):
//   { "version": 1, "type": "incident", "sent_at": ISO time, "update": false | true,
//     "incident": { the `scan --incidents --format jsonl` record (README, "Incident contract") } }
import { BAND_RANK, type Band, type Incident } from '../../model.js';
import { incidentRecord } from '../incident-format.js';
import { TACTIC_WORDS } from '../../correlate/describe.js';


export interface IncidentMemory {
  band: Band;
  at: number;
  size?: number;
}

export interface IncidentNoticeRules {
  min_band: Band;
  max_age_minutes: number;
}

/** Whether to send this incident now, and whether it is an update of an earlier message. */
export function incidentNotice(i: Incident, before: IncidentMemory | undefined, rules: IncidentNoticeRules, now: number): 'new' | 'update' | null {
  if (i.suppressed) return null;
  if (BAND_RANK[i.band] < BAND_RANK[rules.min_band] && !i.action_required) return null;
  if (now - Date.parse(i.last_seen) > rules.max_age_minutes * 60_000) return null;
  if (!before) return 'new';
  const grew = i.signals.length > (before.size ?? 0);
  return grew || BAND_RANK[i.band] > BAND_RANK[before.band] ? 'update' : null;
}

/** Slack mrkdwn treats &, < and > as markup: log-derived text is escaped before it goes in. */
const mrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const short = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function incidentSlackBody(i: Incident, update: boolean): string {
  const steps = i.timeline.slice(0, 15).map((t) => `• ${t.time.slice(0, 16).replace('T', ' ')} ${TACTIC_WORDS[t.tactic]}: ${mrkdwn(short(t.description, 160))}`);
  if (i.timeline.length > 15) steps.push(`• … and ${i.timeline.length - 15} more steps`);
  return JSON.stringify({
    text: `Sentra ${i.band}${update ? ' (updated)' : ''}: ${short(i.title, 150)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: short(`${update ? 'Updated: ' : ''}${i.title}`, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(short(i.explanation, 2900)) } },
      { type: 'section', text: { type: 'mrkdwn', text: short(steps.join('\n'), 2900) } },
      { type: 'section', fields: [
        { type: 'mrkdwn', text: `*Hosts*\n${mrkdwn(i.hosts.join(', '))}` }, { type: 'mrkdwn', text: `*Band*\n${i.band} (risk ${i.risk.toFixed(2)})` },
        { type: 'mrkdwn', text: `*Started*\n${i.first_seen}` }, { type: 'mrkdwn', text: `*Incident*\n\`${i.id}\`` },
      ] },
      { type: 'section', text: { type: 'mrkdwn', text: `*First:* ${mrkdwn(short(i.recommended_action, 2800))}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${i.signals.length} signals · sentra incidents --explain ${i.id}` }] },
    ],
  });
}

export function incidentWebhookBody(i: Incident, update: boolean, now: Date): string {
  return JSON.stringify({ version: 1, type: 'incident', sent_at: now.toISOString(), update, incident: incidentRecord(i) });
}
