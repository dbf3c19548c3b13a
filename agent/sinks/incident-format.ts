// agent/sinks/incident-format.ts: incidents as JSON records (the `scan --incidents` contract) and as short
// text for people: the story first, then its timeline, with the signals it groups under it.
import type { Incident, Signal } from '../model.js';
import { TACTIC_WORDS } from '../correlate/describe.js';

/** The incident as the jsonl contract orders its fields. */
export function incidentRecord(i: Incident): Record<string, unknown> {
  return {
    id: i.id, scope: i.scope, title: i.title, hosts: i.hosts, first_seen: i.first_seen, last_seen: i.last_seen,
    risk: i.risk, band: i.band, action_required: i.action_required, suppressed: i.suppressed,
    explanation: i.explanation, recommended_action: i.recommended_action, entities: i.entities, tactics: i.tactics,
    signals: i.signals, timeline: i.timeline, links: i.links, mitre: i.mitre, soc2: i.soc2, iso27001: i.iso27001,
  };
}

/** Strips control characters (terminal escapes) from log-derived text shown on a terminal. */
export function termSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Text broken into lines of at most `width` characters (words are never split), each starting with `indent`. */
export function wrapText(text: string, indent: string, width = 100): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width - indent.length) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out.join('\n');
}

const wrap = (text: string, indent: string): string => wrapText(termSafe(text), indent);

const hm = (iso: string): string => iso.replace('T', ' ').slice(0, 16);

/** One incident as text: header, story, first action, timeline; `signals` (by id) adds each step's title. */
export function incidentText(i: Incident, signals?: ReadonlyMap<string, Signal>): string[] {
  const out = [`  ${i.id}  ${i.hosts.join(', ')}  ${hm(i.first_seen)} – ${hm(i.last_seen)}  risk ${i.risk.toFixed(2)} (${i.band})`
    + `${i.action_required ? '  action required' : ''}${i.suppressed ? '  covered by overrides' : ''}`];
  out.push(wrap(i.title, '    '));
  out.push(wrap(i.explanation, '    '));
  out.push(wrap(`First: ${i.recommended_action}`, '    '));
  out.push('    Timeline:');
  for (const step of i.timeline) {
    const s = signals?.get(step.signal_id);
    const note = s?.suppressed && s.override ? ` (covered by ${s.override.id})` : '';
    out.push(wrap(`${hm(step.time)}  ${step.signal_id}  ${TACTIC_WORDS[step.tactic]}: ${step.description}${note}`, '      '));
  }
  return out;
}

export function incidentsText(incidents: readonly Incident[]): string {
  if (incidents.length === 0) return 'No incidents: no signals here link into one story.\n';
  const open = incidents.filter((i) => !i.suppressed);
  const out = [`${open.length} ${open.length === 1 ? 'incident' : 'incidents'}`
    + `${incidents.length > open.length ? `, and ${incidents.length - open.length} covered by overrides` : ''}; `
    + `${open.filter((i) => i.action_required).length} need action.`];
  for (const i of incidents) out.push('', ...incidentText(i));
  return `${out.join('\n')}\n`;
}

/** The explanation of every link: which signal joined, what it links to, and why. */
export function linksText(i: Incident): string {
  const out = [...incidentText(i), '    Links:'];
  for (const l of i.links) {
    out.push(wrap(`${l.signal_id} ${l.linked_to ? `→ ${l.linked_to}` : '(opened the incident)'}: ${l.reason}`, '      '));
  }
  return `${out.join('\n')}\n`;
}
