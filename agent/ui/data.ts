// agent/ui/data.ts: what the investigation view reads: signals and incidents from the local store, with the
// analysts' decisions beside them, and everything known about one account or address. Read per request, so
// the view always shows what the agent last committed; nothing here writes except recordDecision.
import type { Band, Incident, Signal } from '../model.js';
import { appendDecision, DECISION_STATUSES, isClosing, readDecisions, type Decision, type DecisionStatus } from '../decisions/decisions.js';
import { LocalStore, type StoreOptions } from '../store/local-store.js';
import { IncidentStore } from '../store/incidents.js';
import { accountsOf, triedUsersOf, uniqueStrings } from '../sinks/clickhouse/rows.js';
import type { ListFilter } from './filters.js';

/** Every account a signal names: those that logged in or changed, targets, and names only tried. */
export function accountsNamed(s: Signal): string[] {
  const e = s.entities;
  return uniqueStrings(accountsOf(s), triedUsersOf(s), e.user, e.users, e.target_user, e.target_users);
}

export function addressesNamed(s: Signal): string[] {
  return uniqueStrings(s.entities.src_ip, s.entities.src_ips);
}

export interface SignalView { signal: Signal; decisions: Decision[]; current?: Decision }
export interface IncidentView { incident: Incident; signals: SignalView[]; open: boolean }

export interface EntityView {
  kind: 'account' | 'address';
  value: string;
  first_seen?: string;
  last_seen?: string;
  hosts: string[];
  /** Accounts seen with this address, or addresses seen with this account. */
  related: string[];
  signals: SignalView[];
  incidents: IncidentView[];
}

export class UiData {
  constructor(private readonly stateDir: string, private readonly store: StoreOptions) {}

  private decisions(): Map<string, Decision[]> {
    const by = new Map<string, Decision[]>();
    for (const d of readDecisions(this.stateDir)) {
      const l = by.get(d.signal_id) ?? [];
      l.push(d);
      by.set(d.signal_id, l);
    }
    return by;
  }

  private view(s: Signal, all: Map<string, Decision[]>): SignalView {
    const decisions = all.get(s.id) ?? [];
    const current = decisions.at(-1);
    return { signal: s, decisions, ...(current ? { current } : {}) };
  }

  private signalsIn(f: Pick<ListFilter, 'since' | 'until' | 'host'> & { band?: Band }): Signal[] {
    return new LocalStore(this.stateDir, this.store).query({
      since: f.since, ...(f.until !== undefined ? { until: f.until } : {}), ...(f.host ? { host: f.host } : {}), ...(f.band ? { minBand: f.band } : {}),
    });
  }

  /** Signals matching the filter, newest first, and the kinds in its time window (for the form). One read of the store. */
  signals(f: ListFilter): { views: SignalView[]; kinds: string[] } {
    const all = this.decisions();
    const inWindow = this.signalsIn(f);
    return { views: inWindow.map((s) => this.view(s, all)).filter((v) => matches(v, f)).reverse(), kinds: kindsOf(inWindow) };
  }

  /** Incidents matching the filter, newest first; account, address and kind match any of their signals. */
  incidents(f: ListFilter): { views: IncidentView[]; kinds: string[] } {
    const all = this.decisions();
    const incidents = new IncidentStore(this.stateDir).query({
      since: f.since, ...(f.until !== undefined ? { until: f.until } : {}), ...(f.band ? { minBand: f.band } : {}), ...(f.host ? { host: f.host } : {}),
    });
    const byId = new LocalStore(this.stateDir, this.store).latest(new Set(incidents.flatMap((i) => i.signals)));
    const views = incidents.map((incident) => this.incidentView(incident, byId, all));
    return {
      views: views.filter((v) => (!f.account || v.incident.entities.accounts.includes(f.account) || v.signals.some((s) => accountsNamed(s.signal).includes(f.account!)))
        && (!f.address || v.incident.entities.addresses.includes(f.address) || v.signals.some((s) => addressesNamed(s.signal).includes(f.address!)))
        && (!f.kind || v.signals.some((s) => s.signal.kind === f.kind))
        && (!f.decision || incidentDecisionMatches(f.decision, v))).reverse(),
      kinds: kindsOf([...byId.values()]),
    };
  }

  private incidentView(incident: Incident, byId: ReadonlyMap<string, Signal>, all: Map<string, Decision[]>): IncidentView {
    const signals = incident.signals.map((id) => byId.get(id)).filter((s): s is Signal => s !== undefined).map((s) => this.view(s, all));
    return { incident, signals, open: signals.length === 0 || signals.some(isOpen) };
  }

  signal(id: string): SignalView | undefined {
    const s = new LocalStore(this.stateDir, this.store).latest(new Set([id])).get(id);
    return s ? this.view(s, this.decisions()) : undefined;
  }

  incident(id: string): IncidentView | undefined {
    const incident = new IncidentStore(this.stateDir).get(id);
    if (!incident) return undefined;
    const byId = new LocalStore(this.stateDir, this.store).latest(new Set(incident.signals));
    return this.incidentView(incident, byId, this.decisions());
  }

  /** Everything the store holds about one account or address, over its whole retention. */
  entity(kind: 'account' | 'address', value: string): EntityView {
    const all = this.decisions();
    const every = this.signalsIn({ since: 0 });
    const byId = new Map(every.map((s) => [s.id, s]));
    const signals = every.filter((s) => (kind === 'account' ? accountsNamed(s) : addressesNamed(s)).includes(value));
    const mine = new Set(signals.map((s) => s.id));
    const related = new Set<string>();
    for (const s of signals) for (const r of kind === 'account' ? addressesNamed(s) : accountsNamed(s)) related.add(r);
    const incidents = new IncidentStore(this.stateDir).query({ since: 0 })
      .filter((i) => (kind === 'account' ? i.entities.accounts : i.entities.addresses).includes(value)
        || i.signals.some((id) => mine.has(id)));
    return {
      kind, value, hosts: [...new Set(signals.map((s) => s.host))].sort(), related: [...related].sort(),
      ...(signals.length ? { first_seen: signals.map((s) => s.first_seen).sort()[0]!, last_seen: signals.map((s) => s.last_seen).sort().at(-1)! } : {}),
      signals: signals.map((s) => this.view(s, all)).reverse(),
      incidents: incidents.map((i) => this.incidentView(i, byId, all)).reverse(),
    };
  }

  record(signalId: string, d: { status: DecisionStatus; by: string; note: string }): Decision {
    return appendDecision(this.stateDir, { signal_id: signalId, ...d });
  }
}

const kindsOf = (signals: readonly Signal[]): string[] => [...new Set(signals.map((s) => s.kind))].sort();

export function isOpen(v: SignalView): boolean {
  return !isClosing(v.current?.status);
}

function decisionMatches(want: NonNullable<ListFilter['decision']>, open: boolean, decided: boolean, status?: DecisionStatus): boolean {
  if (want === 'open') return open;
  if (want === 'closed') return !open;
  if (want === 'undecided') return !decided;
  return status === want;
}

/** A status filter matches an incident when any of its signals' current decision has it. */
function incidentDecisionMatches(want: NonNullable<ListFilter['decision']>, v: IncidentView): boolean {
  if ((DECISION_STATUSES as readonly string[]).includes(want)) return v.signals.some((s) => s.current?.status === want);
  return decisionMatches(want, v.open, v.signals.some((s) => s.current !== undefined));
}

function matches(v: SignalView, f: ListFilter): boolean {
  const s = v.signal;
  return (!f.kind || s.kind === f.kind) && (!f.account || accountsNamed(s).includes(f.account))
    && (!f.address || addressesNamed(s).includes(f.address))
    && (!f.decision || decisionMatches(f.decision, isOpen(v), v.current !== undefined, v.current?.status));
}
