import { describe, expect, it } from 'vitest';
import { checkOverrides, globTest, type OverrideSet } from '../../agent/override/load.js';
import { applyOverrides, explain } from '../../agent/override/override.js';
import { signal } from '../helpers/signals.js';

function set(overrides: unknown[]): OverrideSet {
  const r = checkOverrides(JSON.stringify({ version: 1, overrides }), 'overrides.json');
  if (!r.set) throw new Error(JSON.stringify(r.problems));
  return r.set;
}

// Saturday 2026-11-07 01:00 in Berlin is 00:00 UTC.
const patch = {
  id: 'patch-window', reason: 'Monthly patching, change ticket CHG-1042', action: 'suppress',
  match: { user: 'deploy', host: 'web-*' },
  window: { cron: '0 1 * * 6', duration: '3h', timezone: 'Europe/Berlin' },
  expires: '2027-06-30', reviewer: 'maria', created: '2026-11-01T09:00:00Z',
};

describe('applyOverrides', () => {
  it('marks a signal inside a recurring window as suppressed, keeping it and naming the override', () => {
    const s = applyOverrides(signal(), set([patch]));
    expect(s.suppressed).toBe(true);
    expect(s.override).toEqual({ id: 'patch-window', reason: patch.reason, action: 'suppress', reviewer: 'maria' });
    expect(s.id).toBe('a1b2c3d4e5f6');
  });

  it('leaves a signal alone when one of its events falls outside the window', () => {
    expect(applyOverrides(signal({ last_seen: '2026-11-07T03:30:00.000Z' }), set([patch])).suppressed).toBe(false);
  });

  it('leaves a signal alone after the override expired (judged by event time)', () => {
    expect(applyOverrides(signal({ first_seen: '2027-07-03T00:10:00.000Z', last_seen: '2027-07-03T00:20:00.000Z' }), set([patch])).suppressed).toBe(false);
  });

  it('matches user against the target account as well as the actor', () => {
    const s = signal({ kind: 'account-change', entities: { target_user: 'newhire', users: ['root'] } });
    const o = set([{ id: 'onboarding', reason: 'New colleague, HR-77', action: 'resolve', match: { user: 'newhire' } }]);
    expect(applyOverrides(s, o).override?.action).toBe('resolve');
  });

  it('requires every command to match the glob', () => {
    const o = set([{ id: 'apt', reason: 'package updates', action: 'suppress', match: { command: '/usr/bin/apt-get *' } }]);
    expect(applyOverrides(signal(), o).suppressed).toBe(true);
    const mixed = signal({ entities: { user: 'deploy', commands: ['/usr/bin/apt-get update', '/bin/bash'] } });
    expect(applyOverrides(mixed, o).suppressed).toBe(false);
  });

  it('matches source addresses against a CIDR block, all of them', () => {
    const o = set([{ id: 'office', reason: 'office network', action: 'suppress', match: { src_ip: '10.8.0.0/16' } }]);
    expect(applyOverrides(signal({ entities: { src_ips: ['10.8.0.31', '10.8.1.2'] } }), o).suppressed).toBe(true);
    expect(applyOverrides(signal({ entities: { src_ips: ['10.8.0.31', '192.0.2.1'] } }), o).suppressed).toBe(false);
  });

  it('records every matching override and keeps the first as the mark', () => {
    const o = set([
      { id: 'first', reason: 'one reason', action: 'suppress', match: { kind: 'privilege-*' } },
      { id: 'second', reason: 'another reason', action: 'resolve', match: { signal_id: 'a1b2c3d4e5f6' } },
    ]);
    const s = applyOverrides(signal(), o);
    expect(s.override?.id).toBe('first');
    expect(s.overrides_matched).toEqual(['first', 'second']);
    const v = explain(signal(), o);
    expect(v.map((x) => x.matched)).toEqual([true, true]);
    expect(v[0]!.checks[0]!.text).toContain('kind privilege-use matches');
  });

  it('explains why an override does not match', () => {
    const v = explain(signal({ host: 'db-01' }), set([patch]));
    expect(v[0]!.matched).toBe(false);
    expect(v[0]!.checks.find((c) => !c.ok)?.text).toBe('host db-01 does not match "web-*"');
  });
});

describe('globTest', () => {
  it.each([
    ['/usr/bin/apt-get *', '/usr/bin/apt-get install -y nginx', true],
    ['/usr/bin/apt-get *', '/bin/bash', false],
    ['web-*', 'web-01', true],
    ['web-?1', 'web-01', true],
    ['web-[0-9]*', 'web-x', false],
    ['a.b', 'axb', false],
    ['(x)', '(x)', true],
  ])('%s on %s is %s', (glob, value, expected) => {
    expect(globTest(glob)(value)).toBe(expected);
  });
});

describe('checkOverrides', () => {
  const bad = (doc: unknown): string[] => checkOverrides(JSON.stringify(doc, null, 2), 'o.json').problems
    .map((p) => `${p.line ?? '-'} ${p.path}: ${p.message}`);

  it.each([
    [{ version: 2, overrides: [] }, '/version: must be equal to constant'],
    [{ version: 1, overrides: [{ ...patch, action: 'ignore' }] }, '/overrides/0/action: must be one of: suppress, resolve'],
    [{ version: 1, overrides: [{ ...patch, window: { ...patch.window, cron: '0 25 * * *' } }] }, '/overrides/0/window/cron: not a valid cron expression'],
    [{ version: 1, overrides: [{ ...patch, window: { ...patch.window, timezone: 'Mars/Base' } }] }, '/overrides/0/window/timezone: unknown time zone'],
    [{ version: 1, overrides: [{ ...patch, expires: 'sometime next year' }] }, '/overrides/0/expires: "sometime next year" is not a date'],
    [{ version: 1, overrides: [{ ...patch, match: { src_ip: '10.0.0.0/99' } }] }, '/overrides/0/match/src_ip: "10.0.0.0/99" is not an IP'],
    [{ version: 1, overrides: [{ ...patch, match: { colour: 'red' } }] }, '/overrides/0/match: unknown field "colour"'],
    [{ version: 1, overrides: [patch, patch] }, '/overrides/1/id: duplicate id "patch-window"'],
    [{ version: 1, overrides: [{ ...patch, match: {} }] }, '/overrides/0/match: must NOT have fewer than 1 properties'],
  ])('rejects %# with the JSON path', (doc, expected) => {
    expect(bad(doc).join('\n')).toContain(expected);
  });

  it('gives the line number of the problem', () => {
    const problems = bad({ version: 1, overrides: [{ ...patch, action: 'ignore' }] });
    expect(problems[0]).toMatch(/^7 \/overrides\/0\/action/);
  });

  it('reports broken JSON with its line', () => {
    const r = checkOverrides('{\n  "version": 1,\n  "overrides": [\n  }\n', 'o.json');
    expect(r.set).toBeUndefined();
    expect(r.problems[0]!.message).toMatch(/^not valid JSON/);
    expect(r.problems[0]!.line).toBe(4);
  });
});
