// reports/weekly/weekly.ts: builds the weekly report for a period from a state directory.
import { readDecisions, type Decision } from '../../agent/decisions/decisions.js';
import type { Incident, Signal } from '../../agent/model.js';
import { IncidentStore } from '../../agent/store/incidents.js';
import { loadRules } from '../../agent/match/load-rules.js';
import { EMPTY_OVERRIDES, type OverrideSet } from '../../agent/override/load.js';
import { bundledRulesDir } from '../../agent/paths.js';
import type { LocalStore } from '../../agent/store/local-store.js';
import { previous, type Period } from '../period.js';
import { weeklyFacts, type WeeklyFacts } from './facts.js';
import type { Config } from '../../agent/config/load.js';
import { aiWording } from './ai.js';
import { opening } from './narrative.js';
import { now as clockNow } from '../../agent/clock.js';

export interface WeeklyInput {
  store: LocalStore;
  stateDir: string;
  period: Period;
  overrides?: OverrideSet;
  host?: string;
  now?: number;
  /** Signals already read from the store (covering this week and the one before), to avoid reading again. */
  signals?: Signal[];
  decisions?: Decision[];
  /** The whole store already read (its latest versions, every host), for earlier open items and decision titles. */
  everything?: Signal[];
  /** Incidents already read from the store; by default those in the state directory's incident store. */
  incidents?: Incident[];
}

// The taxonomy names controls in the compliance table; it only changes with the package.
let taxonomy: ReturnType<typeof loadRules>['taxonomy'] | undefined;

export function buildWeekly(input: WeeklyInput): WeeklyFacts {
  const prev = previous(input.period);
  const signals = input.signals
    ?? input.store.query({ since: prev.from, until: input.period.to, ...(input.host ? { host: input.host } : {}) });
  taxonomy ??= loadRules([bundledRulesDir()]).taxonomy;
  const decisions = input.decisions ?? readDecisions(input.stateDir);
  // Earlier weeks' items that needed action, and the titles of every signal a decision names: the whole store.
  const earlier = (input.everything?.filter((s) => Date.parse(s.first_seen) <= prev.from - 1 && (!input.host || s.host === input.host))
    ?? input.store.query({ until: prev.from - 1, ...(input.host ? { host: input.host } : {}) })).filter((s) => s.action_required);
  const named = new Set(decisions.map((d) => d.signal_id));
  const titles = new Map(input.everything ? input.everything.filter((s) => named.has(s.id)).map((s) => [s.id, s.title])
    : [...input.store.latest(named)].map(([id, s]) => [id, s.title]));
  const facts = weeklyFacts({
    period: input.period, previous: prev, signals, decisions,
    earlier: [...new Map([...earlier, ...signals.filter((s) => s.last_seen < new Date(input.period.from).toISOString() && s.action_required)]
      .map((s) => [s.id, s])).values()],
    titles, overrides: input.overrides ?? EMPTY_OVERRIDES, taxonomy, now: input.now ?? clockNow(),
    incidents: input.incidents ?? new IncidentStore(input.stateDir)
      .query({ since: input.period.from, until: input.period.to, ...(input.host ? { host: input.host } : {}) }),
  });
  if (input.host && !facts.hosts.includes(input.host)) facts.hosts = [input.host];
  facts.narrative = { opening: opening(facts), wording: 'deterministic', note: 'Wording: written by Sentra from the facts in this report.' };
  return facts;
}

/** Applies the optional AI wording; the facts keep saying which wording was used. */
export async function withWording(cfg: Config, facts: WeeklyFacts): Promise<WeeklyFacts> {
  const w = await aiWording(cfg, facts);
  return { ...facts, narrative: { opening: w.opening, wording: w.wording, note: w.note }, handover: { ...facts.handover, watch: w.watch } };
}
