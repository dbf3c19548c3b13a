// reports/weekly/facts.ts: everything the weekly report says, computed from the local store, the decision
// log and the overrides in force. Pure data: the templates only lay it out, and the optional AI wording
// may only rephrase it.
import { isClosing, type Decision } from '../../agent/decisions/decisions.js';
import type { Band, Incident, Intent, Signal } from '../../agent/model.js';
import { incidentCards, type IncidentCard } from './incidents.js';
import type { OverrideSet } from '../../agent/override/load.js';
import type { Period } from '../period.js';

export interface SignalLine {
  id: string; host: string; kind: string; title: string; band: Band; risk: number; first_seen: string; last_seen: string;
  explanation: string; recommended_action: string; decision: string | null;
}

export interface ActivityRow {
  intent: Intent; label: string; signals: number; events: number;
  per_day: Array<{ day: string; events: number; percent: number }>;
}

export interface WeeklyFacts {
  period: { label: string; from: string; to: string; days: string[] };
  hosts: string[];
  totals: { signals: number; events: number; action_required: number; suppressed: number; by_band: Record<Band, number> };
  /** Incidents first: each one card with its timeline; their signals are not repeated below. */
  incidents: IncidentCard[];
  needs_action: SignalLine[];
  activity: ActivityRow[];
  /** Activity of the signals that belong to no incident: what the opening may call routine. */
  routine: ActivityRow[];
  /**
   * `addresses`: distinct addresses over the week, apart from those in an incident. Daily signals list their
   * busiest addresses only, so when the lists cannot prove the exact number, `addresses_at_least` is true.
   */
  noise: { attempts: number; addresses: number; addresses_at_least: boolean; intruder_attempts: number; busiest: string[] };
  covered: Array<{ override: string; reason: string; reviewer: string; action: string; signals: number; signal_ids: string[] }>;
  decisions: Array<Decision & { title: string }>;
  compliance: Array<{ framework: 'SOC 2' | 'ISO 27001'; control: string; name: string; signals: number; signal_ids: string[] }>;
  /** Each pair is [the week before, this week]; the week before is null when the store holds nothing for it. */
  comparison: { previous: string; signals: [number | null, number]; action_required: [number | null, number]; events: [number | null, number]; noise_attempts: [number | null, number] };
  /** Open items include earlier weeks' items until a decision closes them; decisions count up to decisions_as_of. */
  handover: { open_items: string[]; pending_reviews: string[]; watch: string[]; decisions_as_of: string };
  narrative: { opening: string; wording: 'deterministic' | 'ai'; note: string };
  /** Accounts and addresses named by the week's signals: what AI wording masks before anything leaves the host. */
  identities: { users: string[]; addresses: string[] };
}

const INTENT_LABELS: Record<Intent, string> = {
  'remote-access': 'Remote access', 'credential-access': 'Password guessing', 'privilege-use': 'Privilege use',
  'identity-management': 'Identity management', persistence: 'Persistence', maintenance: 'Maintenance',
  'defense-impairment': 'Logging and defences', discovery: 'Scanning', session: 'Sessions', noise: 'Other',
};

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

// ISO strings of one format compare like the times they name, so no parsing is needed per signal.
// The bounds are formatted once per period, not once per signal (a 90-day bundle filters 10,000 signals 26 times).
const bounds = new WeakMap<Period, [string, string]>();
function inPeriod(s: Signal, p: Period): boolean {
  let b = bounds.get(p);
  if (!b) bounds.set(p, (b = [iso(p.from), iso(p.to)]));
  return s.last_seen >= b[0] && s.first_seen < b[1];
}

/** The current status of each signal: the latest decision about it. */
function latestDecisions(decisions: Decision[]): Map<string, Decision> {
  const m = new Map<string, Decision>();
  for (const d of decisions) m.set(d.signal_id, d);
  return m;
}

export interface FactsInput {
  period: Period;
  previous: Period;
  signals: Signal[];
  decisions: Decision[];
  overrides: OverrideSet;
  taxonomy: { soc2: ReadonlyMap<string, string>; iso27001: ReadonlyMap<string, string> };
  now: number;
  /** Signals of earlier weeks that needed action: open until a decision closes them. */
  earlier?: Signal[];
  /** Titles of signals that decisions name, looked up across the whole store. */
  titles?: ReadonlyMap<string, string>;
  incidents?: Incident[];
}

export function weeklyFacts(input: FactsInput): WeeklyFacts {
  const { period, previous } = input;
  const week = input.signals.filter((s) => inPeriod(s, period));
  const prev = input.signals.filter((s) => inPeriod(s, previous));
  // Every decision recorded up to when the report is built: a report never shows an item open that was closed.
  const decided = latestDecisions(input.decisions.filter((d) => Date.parse(d.at) <= input.now));
  const active = week.filter((s) => !s.suppressed);
  const days = Array.from({ length: Math.round((period.to - period.from) / DAY) }, (_, i) => iso(period.from + i * DAY).slice(0, 10));
  const byBand = (xs: Signal[]): Record<Band, number> => ({
    high: xs.filter((s) => s.band === 'high').length, medium: xs.filter((s) => s.band === 'medium').length,
    low: xs.filter((s) => s.band === 'low').length, info: xs.filter((s) => s.band === 'info').length,
  });
  const closed = (id: string): boolean => isClosing(decided.get(id)?.status);
  const cards = incidentCards(input.incidents ?? [], iso(period.from), iso(period.to),
    (id) => (decided.get(id) ? `${decided.get(id)!.status} by ${decided.get(id)!.by}` : null));
  const told = new Set(cards.flatMap((c) => c.timeline.map((t) => t.signal_id)));
  const needs = active.filter((s) => s.action_required && !closed(s.id) && !told.has(s.id))
    .sort((a, b) => b.risk - a.risk || (a.first_seen < b.first_seen ? -1 : 1));
  const line = (s: Signal): SignalLine => ({
    id: s.id, host: s.host, kind: s.kind, title: s.title, band: s.band, risk: s.risk, first_seen: s.first_seen, last_seen: s.last_seen,
    explanation: s.explanation, recommended_action: s.recommended_action,
    decision: decided.get(s.id) ? `${decided.get(s.id)!.status} by ${decided.get(s.id)!.by}` : null,
  });

  const activity = activityRows(week, days);
  const noiseOf = (xs: Signal[]): number => xs.filter((s) => s.kind === 'ssh-background-noise').reduce((n, s) => n + num(s.facts.attempts), 0);
  const noiseSignals = week.filter((s) => s.kind === 'ssh-background-noise');
  const busiest = [...new Set(noiseSignals.flatMap((s) => (Array.isArray(s.entities.src_ips) ? s.entities.src_ips.slice(0, 3) : [])))].slice(0, 5);

  return {
    period: { label: period.label, from: iso(period.from), to: iso(period.to), days },
    hosts: [...new Set(week.map((s) => s.host))].sort(),
    totals: { signals: week.length, events: week.reduce((n, s) => n + s.count, 0), action_required: needs.length,
      suppressed: week.length - active.length, by_band: byBand(active) },
    incidents: cards,
    needs_action: needs.map(line),
    activity,
    routine: activityRows(week.filter((s) => !told.has(s.id)), days),
    noise: { attempts: noiseOf(week), ...distinctAddresses(noiseSignals, new Set(cards.length ? (input.incidents ?? []).filter((i) => cards.some((c) => c.id === i.id)).flatMap((i) => i.entities.addresses) : [])), busiest },
    covered: coveredRows(week, input.overrides),
    decisions: input.decisions.filter((d) => Date.parse(d.at) >= period.from && Date.parse(d.at) < period.to)
      .map((d) => ({ ...d, title: input.titles?.get(d.signal_id) ?? input.signals.find((s) => s.id === d.signal_id)?.title ?? '(signal not in the store)' })),
    compliance: complianceRows(week, input.taxonomy),
    comparison: {
      previous: previous.label,
      signals: [prev.length ? prev.length : null, week.length],
      action_required: [prev.length ? prev.filter((s) => s.action_required).length : null, week.filter((s) => s.action_required).length],
      events: [prev.length ? prev.reduce((n, s) => n + s.count, 0) : null, week.reduce((n, s) => n + s.count, 0)],
      noise_attempts: [prev.length ? noiseOf(prev) : null, noiseOf(week)],
    },
    handover: handover(week, needs, decided, input.overrides, input.now, period, (input.earlier ?? []).filter((s) => !s.suppressed && s.action_required && !closed(s.id) && !week.some((w) => w.id === s.id)), cards),
    narrative: { opening: '', wording: 'deterministic', note: '' },
    identities: identities(week),
  };
}

/** Distinct background addresses over the week (not the sum of each day's count), without incident addresses. */
function distinctAddresses(noise: Signal[], intruders: ReadonlySet<string>): { addresses: number; addresses_at_least: boolean; intruder_attempts: number } {
  const listed = new Set<string>();
  let exact = true;
  let busiestDay = 0;
  let intruderAttempts = 0;
  for (const s of noise) {
    // "203.0.113.7: 12 attempts, …": an intruder's failures are part of its incident, not background.
    for (const line of Array.isArray(s.facts.source_counts) ? s.facts.source_counts : []) {
      const m = /^(.*): (\d+) attempts,/.exec(String(line));
      if (m && intruders.has(m[1]!)) intruderAttempts += Number(m[2]);
    }
    const ips = [...(Array.isArray(s.entities.src_ips) ? s.entities.src_ips : []), ...(Array.isArray(s.entities.src_hosts) ? s.entities.src_hosts : [])];
    for (const ip of ips) if (!intruders.has(ip)) listed.add(ip);
    const day = num(s.facts.sources) - ips.filter((ip) => intruders.has(ip)).length;
    busiestDay = Math.max(busiestDay, day);
    if (ips.length < num(s.facts.sources)) exact = false;
  }
  return { addresses: exact ? listed.size : Math.max(listed.size, busiestDay), addresses_at_least: !exact, intruder_attempts: intruderAttempts };
}

function identities(week: Signal[]): WeeklyFacts['identities'] {
  const users = new Set<string>();
  const addresses = new Set<string>();
  const add = (set: Set<string>, v: unknown): void => {
    for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string' && x) set.add(x);
  };
  for (const s of week) {
    for (const k of ['user', 'target_user', 'users', 'target_users']) add(users, s.entities[k]);
    for (const k of ['src_ip', 'src_ips']) add(addresses, s.entities[k]);
  }
  return { users: [...users].sort(), addresses: [...addresses].sort() };
}

function activityRows(week: Signal[], days: string[]): ActivityRow[] {
  const rows = new Map<Intent, { signals: number; events: number; perDay: number[] }>();
  for (const s of week) {
    let r = rows.get(s.intent);
    if (!r) rows.set(s.intent, (r = { signals: 0, events: 0, perDay: days.map(() => 0) }));
    r.signals++;
    r.events += s.count;
    const d = days.indexOf(s.first_seen.slice(0, 10));
    if (d >= 0) r.perDay[d]! += s.count;
  }
  const max = Math.max(1, ...[...rows.values()].flatMap((r) => r.perDay));
  return [...rows].sort((a, b) => b[1].events - a[1].events).map(([intent, r]) => ({
    intent, label: INTENT_LABELS[intent], signals: r.signals, events: r.events,
    // Bars are scaled to the busiest day of any intent, with a visible minimum for non-zero days.
    per_day: r.perDay.map((events, i) => ({ day: days[i]!, events, percent: events === 0 ? 0 : Math.max(2, Math.round((events / max) * 100)) })),
  }));
}

function coveredRows(week: Signal[], overrides: OverrideSet): WeeklyFacts['covered'] {
  const by = new Map<string, Signal[]>();
  for (const s of week) if (s.suppressed && s.override) by.set(s.override.id, [...(by.get(s.override.id) ?? []), s]);
  return [...by].sort().map(([id, xs]) => {
    const spec = overrides.overrides.find((o) => o.spec.id === id)?.spec;
    const mark = xs[0]!.override!;
    return { override: id, reason: spec?.reason ?? mark.reason, reviewer: spec?.reviewer ?? mark.reviewer ?? '(no reviewer recorded)',
      action: mark.action, signals: xs.length, signal_ids: xs.map((s) => s.id) };
  });
}

function complianceRows(week: Signal[], tax: FactsInput['taxonomy']): WeeklyFacts['compliance'] {
  const rows = new Map<string, { framework: 'SOC 2' | 'ISO 27001'; control: string; ids: string[] }>();
  for (const s of week) {
    for (const [framework, ids] of [['SOC 2', s.soc2], ['ISO 27001', s.iso27001]] as const) {
      for (const control of ids) {
        const k = `${framework}|${control}`;
        let r = rows.get(k);
        if (!r) rows.set(k, (r = { framework, control, ids: [] }));
        r.ids.push(s.id);
      }
    }
  }
  const order = (c: string): string => c.replace(/\d+/g, (d) => d.padStart(3, '0'));
  return [...rows.values()].sort((a, b) => a.framework.localeCompare(b.framework) || order(a.control).localeCompare(order(b.control)))
    .map((r) => ({ framework: r.framework, control: r.control,
      name: (r.framework === 'SOC 2' ? tax.soc2 : tax.iso27001).get(r.control) ?? '', signals: r.ids.length, signal_ids: r.ids }));
}

function handover(week: Signal[], needs: Signal[], decided: Map<string, Decision>, overrides: OverrideSet, now: number, period: Period,
  earlier: Signal[], cards: IncidentCard[] = []): WeeklyFacts['handover'] {
  const state = (s: Signal): string => (decided.get(s.id) ? ` (${decided.get(s.id)!.status} by ${decided.get(s.id)!.by}, still open)` : ' (no decision recorded yet)');
  const stories = cards.filter((c) => c.action_required).map((c) => `incident ${c.id}: ${c.title} (${c.signals} signals)`);
  const open = [...stories, ...needs.map((s) => `${s.id}: ${s.title}${state(s)}`),
    // Items of earlier weeks stay here until resolved or marked false-positive; escalated ones stay open.
    ...earlier.map((s) => `${s.id}: ${s.title}, from ${s.first_seen.slice(0, 10)}${state(s)}`)];
  const pending: string[] = [];
  for (const s of [...week, ...earlier]) if (decided.get(s.id)?.status === 'escalated') pending.push(`${s.id}: escalated by ${decided.get(s.id)!.by}, awaiting an outcome`);
  const soon = Math.max(now, period.to) + 30 * DAY;
  for (const o of overrides.overrides) {
    if (o.expires !== undefined && o.expires >= period.to && o.expires < soon) pending.push(`override ${o.spec.id} expires on ${o.spec.expires}; renew or remove it`);
    if (o.expires !== undefined && o.expires < period.to) pending.push(`override ${o.spec.id} expired on ${o.spec.expires}; remove it from overrides.json`);
  }
  const watch: string[] = [];
  for (const s of week.filter((x) => x.kind === 'ssh-distributed-guessing' || x.kind === 'ssh-password-spray')) {
    watch.push(`${s.kind === 'ssh-password-spray' ? `${String(s.entities.src_ip)} sprayed passwords` : `${String(s.entities.user)} was the target of guessing`} (${s.id}); see whether it continues`);
  }
  const newAccounts = week.filter((s) => s.kind === 'account-change' && s.facts.created === true).map((s) => String(s.entities.target_user ?? s.entities.group));
  if (newAccounts.length) watch.push(`new accounts this week: ${newAccounts.join(', ')}; confirm each has an owner and belongs in the next access review`);
  return { open_items: open, pending_reviews: pending, watch: watch.slice(0, 8), decisions_as_of: iso(now) };
}
