// agent/sinks/notify/messages.ts: what a notification says. Slack gets Block Kit; the generic webhook gets
// the documented JSON body below, signed with HMAC-SHA256 over "<timestamp>.<body>".
//
// Webhook body (version 1):
//   { "version": 1, "type": "signal" | "digest", "sent_at": ISO time,
//     "signals": [ { "id", "host", "kind", "title", "band", "risk", "action_required", "first_seen", "last_seen",
//                    "explanation", "recommended_action", "entities", "mitre", "soc2", "iso27001" } ] }
// Headers: X-Sentra-Timestamp (unix seconds), X-Sentra-Signature: sha256=<hex of HMAC-SHA256(secret, "<ts>.<body>")>
import { createHmac } from 'node:crypto';
import type { Signal } from '../../model.js';
import { slackText } from '../escape.js';

export function webhookBody(type: 'signal' | 'digest', signals: Signal[], now: Date): string {
  return JSON.stringify({
    version: 1, type, sent_at: now.toISOString(),
    signals: signals.map((s) => ({
      id: s.id, host: s.host, kind: s.kind, title: s.title, band: s.band, risk: s.risk, action_required: s.action_required,
      first_seen: s.first_seen, last_seen: s.last_seen, explanation: s.explanation, recommended_action: s.recommended_action,
      entities: s.entities, mitre: s.mitre, soc2: s.soc2, iso27001: s.iso27001,
    })),
  });
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const short = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Hostile text into mrkdwn: cut first, then escaped, so an entity is never cut in half. */
const md = (s: string, n = 2900): string => slackText(short(s, n));

export function slackBody(type: 'signal' | 'digest', signals: Signal[]): string {
  if (type === 'digest') {
    return JSON.stringify({
      text: `Sentra: ${signals.length} more signals need attention`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${signals.length} more signals need attention* (sent together to keep the channel calm)` } },
        { type: 'section', text: { type: 'mrkdwn', text: signals.slice(0, 20).map((s) => `• \`${s.id}\` ${md(s.host, 200)}: ${md(s.title, 120)} (${s.band})`).join('\n') } },
      ],
    });
  }
  const s = signals[0]!;
  return JSON.stringify({
    text: `Sentra ${s.band}: ${md(s.title, 200)} on ${md(s.host, 200)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: short(s.title, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: md(s.explanation) } },
      { type: 'section', fields: [
        { type: 'mrkdwn', text: `*Host*\n${md(s.host, 200)}` }, { type: 'mrkdwn', text: `*Band*\n${s.band} (risk ${s.risk.toFixed(2)})` },
        { type: 'mrkdwn', text: `*First seen*\n${s.first_seen}` }, { type: 'mrkdwn', text: `*Signal*\n\`${s.id}\`` },
      ] },
      { type: 'section', text: { type: 'mrkdwn', text: `*Recommended:* ${md(s.recommended_action, 2800)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: slackText(`${s.kind} · ATT&CK ${s.mitre.join(', ') || 'none'} · sentra decide ${s.id} --status reviewed --by <you>`) }] },
    ],
  });
}
