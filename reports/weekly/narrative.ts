// reports/weekly/narrative.ts: the calm opening paragraph, written from the facts alone. It always says
// whether action is required; the optional AI wording (reports/weekly/ai.ts) may only rephrase it.
import type { WeeklyFacts } from './facts.js';
import { incidentOpening } from './incidents.js';

const rules = new Intl.PluralRules('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${rules.select(n) === 'one' ? one : many}`;
const lists = new Intl.ListFormat('en-US', { style: 'long', type: 'conjunction' });

export function hostsPhrase(hosts: string[]): string {
  if (hosts.length === 0) return 'this host';
  if (hosts.length <= 3) return lists.format(hosts);
  return `${hosts.length} hosts`;
}

export function opening(f: WeeklyFacts): string {
  const who = hostsPhrase(f.hosts);
  const parts: string[] = [];
  if (f.totals.signals === 0) {
    return `Sentra recorded no activity for ${who} in ${f.period.label}. If the host was running, check that Sentra can read its authentication logs. No other action is required.`;
  }
  // Incidents come first: one story told whole, before anything is called routine.
  const stories = incidentOpening(f.incidents ?? []);
  if (stories) parts.push(stories);
  if (stories && f.totals.action_required > 0) parts.push(`Besides that, ${plural(f.totals.action_required, 'single item')} ${f.totals.action_required === 1 ? 'needs' : 'need'} a person to look.`);
  else if (!stories) parts.push(f.totals.action_required === 0
    ? `This week ${who} remained stable.`
    : `This week ${who} had ${plural(f.totals.action_required, 'item')} that ${f.totals.action_required === 1 ? 'needs' : 'need'} a person to look.`);
  parts.push(`Sentra turned ${plural(f.totals.events, 'log line')} into ${plural(f.totals.signals, 'signal')}.`);
  const background = f.noise.attempts - (f.noise.intruder_attempts ?? 0);
  if (background > 0 && stories) {
    parts.push(`Apart from the intrusion, the usual background traffic of a public server: ${plural(background, 'failed login attempt')} from ${f.noise.addresses_at_least ? 'at least ' : ''}${plural(f.noise.addresses, 'other internet address', 'other internet addresses')}.`);
  } else if (f.noise.attempts > 0) {
    parts.push(`${f.noise.addresses_at_least ? 'At least ' : ''}${plural(f.noise.addresses, 'internet address', 'internet addresses')} made ${plural(f.noise.attempts, 'login attempt')} that all failed, the usual background traffic of a public server.`);
  }
  const routine = (f.routine ?? f.activity).filter((a) => a.intent === 'remote-access' || a.intent === 'maintenance' || a.intent === 'privilege-use');
  if (routine.length) parts.push(`Routine work continued: ${routine.map((a) => `${a.label.toLowerCase()} ${plural(a.events, 'event')}`).join(', ')}.`);
  if (f.totals.suppressed > 0) parts.push(`${plural(f.totals.suppressed, 'signal')} fell within planned maintenance recorded in overrides.json.`);
  if (stories) parts.push(`${(f.incidents ?? []).length > 1 ? 'The incidents are shown first below, each' : 'The incident is shown first below,'} with its timeline${f.totals.action_required ? ', then the single items' : ''}.`);
  else parts.push(f.totals.action_required === 0
    ? 'No action is required.'
    : `The ${f.totals.action_required === 1 ? 'item is' : 'items are'} listed below with what was seen and what to do.`);
  return parts.join(' ');
}
