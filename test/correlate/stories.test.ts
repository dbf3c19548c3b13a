// Incident stories: each log runs through the whole pipeline (`scan`), and the incidents must be exactly the
// ones its expected.json describes by hand: their signals one for one, hosts, accounts, addresses, band,
// the signal that opened each, and the link reasons. Signals outside them carry incident_id null.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident, Signal } from '../../agent/model.js';
import { optionsFromArgs, scanIncidents, scanSignals } from '../helpers/run.js';
import { toneProblems } from '../helpers/tone.js';

interface SignalExpectation {
  kind: string;
  entities?: Record<string, string>;
  first_seen?: string;
  opens?: boolean;
  reason?: string;
}
interface IncidentExpectation {
  hosts: string[];
  band?: string;
  action_required?: boolean;
  suppressed?: boolean;
  accounts?: string[];
  addresses?: string[];
  first_seen?: string;
  last_seen?: string;
  tactics?: string[];
  signals: SignalExpectation[];
}
interface Story {
  story: string;
  args: string[];
  incidents: IncidentExpectation[];
  alone?: SignalExpectation[];
  without_overrides?: { signals: number; joins: SignalExpectation };
  no_incident_at_or_above?: string;
}

const dir = join(import.meta.dirname, '..', 'fixtures', 'incidents');

function fits(s: Signal, e: SignalExpectation): boolean {
  if (s.kind !== e.kind) return false;
  for (const [k, v] of Object.entries(e.entities ?? {})) if (s.entities[k] !== v) return false;
  return !e.first_seen || s.first_seen.startsWith(e.first_seen);
}

const show = (s: Signal): string => `${s.id} ${s.kind} ${JSON.stringify(s.entities).slice(0, 70)} ${s.first_seen} → ${s.incident_id ?? 'alone'}`;

function withDir(args: string[], base: string): string[] {
  return args.map((a, i) => (args[i - 1] === '--overrides' ? join(base, a) : a));
}

for (const name of readdirSync(dir).sort()) {
  const base = join(dir, name);
  const st = JSON.parse(readFileSync(join(base, 'expected.json'), 'utf8')) as Story;
  describe(`incident story ${name}`, () => {
    let signals: Signal[] = [];
    let incidents: Incident[] = [];
    it('runs through the whole pipeline', async () => {
      const opts = optionsFromArgs(withDir(st.args, base));
      signals = await scanSignals([join(base, 'input.log')], opts);
      incidents = await scanIncidents([join(base, 'input.log')], opts);
      expect(signals.length).toBeGreaterThan(0);
    });

    it(`tells exactly ${st.incidents.length} ${st.incidents.length === 1 ? 'story' : 'stories'}`, () => {
      expect(incidents.map((i) => `${i.id} ${i.title}`)).toHaveLength(st.incidents.length);
    });

    st.incidents.forEach((e, n) => {
      it(`incident ${n + 1}: ${e.accounts?.join(', ') ?? ''} on ${e.hosts.join(', ')} has exactly its signals`, () => {
        const members = (i: Incident): Signal[] => i.signals.map((id) => signals.find((s) => s.id === id)!);
        const inc = incidents.find((i) => members(i).some((s) => s && e.signals.some((x) => x.opens && fits(s, x))));
        expect(inc, `no incident opened by ${JSON.stringify(e.signals.find((x) => x.opens))}:\n${signals.map(show).join('\n')}`).toBeDefined();
        const got = members(inc!);
        expect(got.every(Boolean)).toBe(true);
        // One for one: every expected signal is in it once, and nothing else is.
        for (const x of e.signals) expect(got.filter((s) => fits(s, x)).length, `${JSON.stringify(x)} in\n${got.map(show).join('\n')}`).toBe(1);
        expect(got.length, got.map(show).join('\n')).toBe(e.signals.length);
        expect(inc!.hosts).toEqual(e.hosts);
        if (e.band) expect(inc!.band).toBe(e.band);
        if (e.action_required !== undefined) expect(inc!.action_required).toBe(e.action_required);
        if (e.suppressed !== undefined) expect(inc!.suppressed).toBe(e.suppressed);
        if (e.accounts) expect(inc!.entities.accounts).toEqual(e.accounts);
        if (e.addresses) expect(inc!.entities.addresses).toEqual(e.addresses);
        if (e.first_seen) expect(inc!.first_seen).toBe(e.first_seen);
        if (e.last_seen) expect(inc!.last_seen).toBe(e.last_seen);
        if (e.tactics) expect(inc!.tactics).toEqual(e.tactics);
        // The signal that opened it links to nothing; every other signal links to one already in it, with a reason.
        const opener = got.find((s) => fits(s, e.signals.find((x) => x.opens)!))!;
        for (const l of inc!.links) {
          if (l.signal_id === opener.id) expect(l.linked_to).toBeNull();
          else expect(inc!.signals).toContain(l.linked_to);
          expect(l.reason.length).toBeGreaterThan(10);
        }
        for (const x of e.signals.filter((y) => y.reason)) {
          const s = got.find((y) => fits(y, x))!;
          expect(inc!.links.find((l) => l.signal_id === s.id)!.reason).toContain(x.reason);
        }
        // The timeline is in event-time order and names each signal once.
        const times = inc!.timeline.map((t) => t.time);
        expect(times).toEqual([...times].sort());
        expect(inc!.timeline.map((t) => t.signal_id).sort()).toEqual([...inc!.signals].sort());
        expect(inc!.risk).toBeGreaterThanOrEqual(Math.max(...got.map((s) => s.risk)));
        for (const s of got) expect(s.incident_id).toBe(inc!.id);
      });
    });

    it('speaks calmly: no alarm words, no exclamation marks, no shouting', () => {
      for (const i of incidents) {
        for (const text of [i.title, i.explanation, i.recommended_action, ...i.links.map((l) => l.reason), ...i.timeline.map((t) => t.description)]) {
          expect(toneProblems(text), text).toEqual([]);
        }
      }
    });

    it('labels every other signal as alone (incident_id null)', () => {
      const inAny = new Set(incidents.flatMap((i) => i.signals));
      for (const s of signals.filter((x) => !inAny.has(x.id))) expect(s.incident_id, show(s)).toBeNull();
      for (const x of st.alone ?? []) {
        const s = signals.filter((y) => fits(y, x));
        expect(s.length, JSON.stringify(x)).toBeGreaterThan(0);
        for (const y of s) expect(y.incident_id, show(y)).toBeNull();
      }
    });

    if (st.without_overrides) {
      it('without the override, the planned activity would have joined the story', async () => {
        const args = st.args.filter((a, i) => a !== '--overrides' && st.args[i - 1] !== '--overrides');
        const opts = optionsFromArgs(args);
        const all = await scanSignals([join(base, 'input.log')], opts);
        const incs = await scanIncidents([join(base, 'input.log')], opts);
        expect(incs).toHaveLength(1);
        expect(incs[0]!.signals).toHaveLength(st.without_overrides!.signals);
        const joined = all.find((s) => fits(s, st.without_overrides!.joins))!;
        expect(incs[0]!.signals).toContain(joined.id);
      });
    }
  });
}

describe('the stories of the signal scenarios', () => {
  const scen = join(import.meta.dirname, '..', 'fixtures', 'scenarios');

  it('a benign week has no incident at medium or above (and in fact none)', async () => {
    const incs = await scanIncidents([join(scen, 'benign-week', 'input.log')],
      { year: '2026', timezone: 'UTC', overrides: join(import.meta.dirname, '..', '..', 'overrides.json') });
    expect(incs.filter((i) => i.band === 'medium' || i.band === 'high')).toEqual([]);
    expect(incs).toEqual([]);
  });

  it('the spray that found alice is one incident with the account it created', async () => {
    const incs = await scanIncidents([join(scen, 'spray-then-compromise', 'input.log')], { year: '2026', timezone: 'UTC' });
    expect(incs).toHaveLength(1);
    expect(incs[0]!.entities).toEqual({ accounts: ['alice', 'support'], addresses: ['203.0.113.50'] });
    expect(incs[0]!.tactics).toEqual(['credential-access', 'initial-access', 'privilege-escalation', 'persistence']);
  });

  it('signals that arrive together with much newer ones (another host, months later) are still linked', async () => {
    const incs = await scanIncidents([join(scen, 'spray-then-compromise', 'input.log'), join(scen, 'distributed-guessing', 'input.log')],
      { year: '2026', timezone: 'UTC' });
    expect(incs.map((i) => i.hosts)).toEqual([['web-01']]);
  });

  it('root logging in at night from a new address, and nothing after, stays a single signal', async () => {
    expect(await scanIncidents([join(scen, 'root-login-at-night', 'input.log')], { year: '2026', timezone: 'UTC' })).toEqual([]);
  });
});
