// reports/weekly/incidents.ts: the week's incidents as report cards (story, first action, timeline), and
// what the rest of the report needs to know about them: which signals they hold (told in the card, never
// again as routine work or single items) and which addresses belong to an intrusion rather than background.
import type { Band, Incident } from '../../agent/model.js';
import { TACTIC_WORDS } from '../../agent/correlate/describe.js';

export interface IncidentCard {
  id: string; title: string; hosts: string[]; band: Band; risk: number; first_seen: string; last_seen: string;
  action_required: boolean; explanation: string; recommended_action: string; signals: number;
  timeline: Array<{ time: string; signal_id: string; tactic: string; description: string; decision: string | null }>;
}

/** `decisionOf` gives the latest analyst decision on a signal ("escalated by maria"), shown on its step. */
export function incidentCards(incidents: readonly Incident[], from: string, to: string,
  decisionOf: (signalId: string) => string | null = () => null): IncidentCard[] {
  return incidents.filter((i) => !i.suppressed && i.last_seen >= from && i.first_seen < to)
    .sort((a, b) => b.risk - a.risk || (a.first_seen < b.first_seen ? -1 : 1))
    .map((i) => ({
      id: i.id, title: i.title, hosts: i.hosts, band: i.band, risk: i.risk, first_seen: i.first_seen, last_seen: i.last_seen,
      action_required: i.action_required, explanation: i.explanation, recommended_action: i.recommended_action, signals: i.signals.length,
      timeline: i.timeline.map((t) => ({ time: t.time, signal_id: t.signal_id, tactic: TACTIC_WORDS[t.tactic], description: t.description,
        decision: decisionOf(t.signal_id) })),
    }));
}

const plural = (n: number, one: string, many: string): string => (n === 1 ? `One ${one}` : `${n.toLocaleString('en-US')} ${many}`);

/** " on db-02: backup from 198.51.100.77" from the title "Likely intrusion on db-02: backup from …". */
const where = (c: IncidentCard): string => c.title.replace(/^Likely intrusion/, '');

/** The first sentences of the report when the week has incidents: how many, and the first one's story. */
export function incidentOpening(cards: readonly IncidentCard[]): string {
  const open = cards.filter((c) => c.action_required);
  if (cards.length === 0) return '';
  const lead = cards[0]!;
  const head = open.length > 0
    ? `${plural(open.length, 'likely intrusion', 'likely intrusions')} ${open.length === 1 ? 'needs' : 'need'} attention${where(lead)}.`
    : `${plural(cards.length, 'linked story', 'linked stories')} of lower risk ${cards.length === 1 ? 'was' : 'were'} found${where(lead)}.`;
  return `${head} ${lead.explanation}${cards.length > 1 ? ` ${cards.length - 1} more ${cards.length === 2 ? 'incident follows' : 'incidents follow'} below.` : ''}`;
}
