// Answers from a real store: the pipeline scanned generated traffic and the scenario stories into a state
// directory; each answer is compared with a computation written here from the stored JSON lines alone.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfig, type Config } from '../../agent/config/load.js';
import type { Incident, Signal } from '../../agent/model.js';
import { askQuestion, type Answer } from '../../agent/query/ask.js';
import { askStore, storedIncidents, storedSignals } from '../helpers/ask-store.js';

const NOW = new Date('2026-11-30T12:00:00Z');
let stateDir: string;
let config: Config;
let signals: Signal[];
let incidents: Incident[];

beforeAll(async () => {
  ({ stateDir } = await askStore());
  config = makeConfig({ state_dir: stateDir });
  signals = storedSignals(stateDir);
  incidents = storedIncidents(stateDir);
}, 120_000);

const ask = (q: string): Promise<Answer> => askQuestion(q, { stateDir, config, now: NOW });
const inWindow = (x: { first_seen: string; last_seen: string }, since: string, until: string): boolean =>
  Math.floor(Date.parse(x.last_seen) / 1000) >= Date.parse(since) / 1000 && Math.floor(Date.parse(x.first_seen) / 1000) < Date.parse(until) / 1000;
const has = (s: Signal, factor: string): boolean => s.factors.some((f) => f.name === factor);
const ids = (a: Answer): string[] => a.results.map((r) => String(r.id)).sort();
const expectIds = (xs: Array<{ id: string }>): string[] => xs.map((x) => x.id).sort();
const FEB = ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'] as const;
const NOV = ['2026-11-01T00:00:00Z', '2026-11-30T12:00:00Z'] as const;

describe('sentra ask over the local store', () => {
  it('logins in February: every remote-login signal of the month, oldest first', async () => {
    const a = await ask('who logged in in February');
    expect(a).toMatchObject({ via: 'parser', source: 'local', understood: { kind: 'filter', filter: { subject: 'logins' } } });
    const want = signals.filter((s) => s.kind === 'remote-login' && inWindow(s, ...FEB));
    expect(want.length).toBeGreaterThan(20);
    // The first 50 by first event (to the second), host and id: the order every answer keeps.
    const order = (s: Signal): string => `${s.first_seen.slice(0, 19)}|${s.host}|${s.id}`;
    expect(a.results.map((r) => r.id)).toEqual(want.sort((x, y) => (order(x) < order(y) ? -1 : 1)).slice(0, 50).map((s) => s.id));
    expect(/Only the first 50 rows/.test(a.notes.join(' '))).toBe(want.length >= 50);
  });

  it('logins from new addresses and off-hours logins are the signals with those factors', async () => {
    const fresh = await ask('which accounts logged in from new addresses in February');
    const wantNew = signals.filter((s) => s.kind === 'remote-login' && has(s, 'new_source') && inWindow(s, ...FEB));
    expect(wantNew.length).toBeGreaterThan(0);
    expect(ids(fresh)).toEqual(expectIds(wantNew));
    for (const r of fresh.results) expect(r.new_source).toBe(true);
    const night = await ask('top 200 logins outside business hours in February');
    expect(ids(night)).toEqual(expectIds(signals.filter((s) => s.kind === 'remote-login' && has(s, 'off_hours') && inWindow(s, ...FEB))));
    expect(night.results.length).toBeGreaterThan(0);
  });

  it('logins by one account on one host', async () => {
    const one = signals.find((s) => s.kind === 'remote-login' && inWindow(s, ...FEB))!;
    const user = String(one.entities.user);
    const a = await ask(`logins by ${user} on ${one.host} in February`);
    expect(a.understood).toMatchObject({ filter: { account: user, host: one.host } });
    expect(ids(a)).toEqual(expectIds(signals.filter((s) => s.kind === 'remote-login' && s.entities.user === user && s.host === one.host && inWindow(s, ...FEB))));
    expect(a.results.length).toBeGreaterThan(0);
  });

  it('sudo and su use are privilege-use signals from sudo and su rules', async () => {
    const sudo = await ask('top 500 sudo use since 2026-02-01');
    const since = '2026-02-01T00:00:00Z', until = NOW.toISOString();
    const wantSudo = signals.filter((s) => s.kind === 'privilege-use' && s.rules.some((r) => r.startsWith('sudo-')) && inWindow(s, since, until));
    expect(wantSudo.length).toBeGreaterThan(5);
    expect(ids(sudo)).toEqual(expectIds(wantSudo));
    const su = await ask('top 500 su use since 2026-02-01');
    expect(ids(su)).toEqual(expectIds(signals.filter((s) => s.kind === 'privilege-use' && s.rules.some((r) => r.startsWith('su-') || r.startsWith('runuser-')) && inWindow(s, since, until))));
  });

  it('failures, account changes and incidents', async () => {
    const f = await ask('top 500 failed logins in February');
    const wantF = signals.filter((s) => s.intent === 'credential-access' && inWindow(s, ...FEB));
    expect(wantF.length).toBeGreaterThan(5);
    expect(ids(f)).toEqual(expectIds(wantF));
    const c = await ask('account changes in November');
    const wantC = signals.filter((s) => s.kind === 'account-change' && inWindow(s, ...NOV));
    expect(wantC.length).toBeGreaterThan(0);
    expect(ids(c)).toEqual(expectIds(wantC));
    const i = await ask('incidents since 2026-02-01');
    const wantI = incidents.filter((x) => inWindow(x, '2026-02-01T00:00:00Z', NOW.toISOString()));
    expect(wantI.length).toBeGreaterThan(2);
    expect(ids(i)).toEqual(expectIds(wantI));
    expect(i.results[0]).toHaveProperty('hosts');
  });

  it('top addresses: log lines per address, as the fleet view counts them once', async () => {
    const a = await ask('top 5 addresses in February');
    const lines = new Map<string, number>();
    const add = (ip: string, n: number): void => { lines.set(ip, (lines.get(ip) ?? 0) + n); };
    for (const s of signals.filter((x) => inWindow(x, ...FEB))) {
      const ips = [s.entities.src_ip, ...(Array.isArray(s.entities.src_ips) ? s.entities.src_ips : [])].filter((x): x is string => typeof x === 'string');
      const per = (k: string): number[] => (Array.isArray(s.facts[k]) ? s.facts[k] as number[] : []);
      ips.forEach((ip, n) => add(ip, s.kind === 'ssh-brute-force' || s.kind === 'ssh-password-spray' ? s.count
        : s.kind === 'ssh-background-noise' ? per('src_ip_lines')[n] ?? 0 : s.kind === 'remote-login' ? per('src_ip_logins')[n] ?? 0 : 0));
    }
    const want = [...lines].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 5);
    expect(a.results.map((r) => [r.address, r.lines])).toEqual(want);
    expect(want[0]![1]).toBeGreaterThan(100);
  });

  it('what happened on a host between two dates: all its signals, in time order', async () => {
    const host = signals.find((s) => inWindow(s, '2026-02-01T00:00:00Z', '2026-02-03T00:00:00Z'))!.host;
    const a = await ask(`what happened on ${host} between 2026-02-01 and 2026-02-02`);
    expect(a.understood).toMatchObject({ filter: { subject: 'timeline', host } });
    const want = signals.filter((s) => s.host === host && inWindow(s, '2026-02-01T00:00:00Z', '2026-02-03T00:00:00Z'));
    expect(want.length).toBeGreaterThan(3);
    expect(want.length).toBeLessThan(50);
    expect(ids(a)).toEqual(expectIds(want));
    const times = a.results.map((r) => String(r.first_seen));
    expect(times).toEqual([...times].sort());
  });

  it('answers a question about nothing with 0 rows, and a question it does not understand with suggestions', async () => {
    const none = await ask('logins by nobody-here yesterday');
    expect(none.understood).not.toBeNull();
    expect(none.results).toEqual([]);
    const huh = await ask('what is the meaning of life');
    expect(huh).toMatchObject({ understood: null, results: [], via: 'parser' });
    expect(huh.suggestions!.length).toBeGreaterThan(3);
  });
});
