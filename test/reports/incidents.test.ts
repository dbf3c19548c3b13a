// The weekly report opens with the incidents, tells each one as one card with its timeline, never calls an
// incident's activity routine, and counts background addresses once over the week.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../agent/cli/scan.js';
import { LocalStore } from '../../agent/store/local-store.js';
import { makeConfig } from '../../agent/config/load.js';

const STORE = makeConfig({}).store;
import { parseWeek } from '../../reports/period.js';
import { render } from '../../reports/render.js';
import { buildWeekly } from '../../reports/weekly/weekly.js';
import { tempDir } from '../helpers/agent.js';
import { ROOT } from '../helpers/cli.js';
import { Capture } from '../helpers/run.js';

async function week(log: string, isoWeek: string, overrides?: string) {
  const stateDir = join(tempDir('sentra-incident-report-'), 'state');
  const code = await runScan([log], { format: 'jsonl', quiet: true, year: '2026', timezone: 'UTC', stateDir, ...(overrides ? { overrides } : {}) }, new Capture());
  expect(code).toBe(0);
  return buildWeekly({ store: new LocalStore(stateDir, STORE), stateDir, period: parseWeek(isoWeek), now: Date.parse('2026-12-01T00:00:00Z') });
}

describe('weekly report with an incident', () => {
  it('opens with the intrusion, one card with its timeline, and nothing of it called routine', async () => {
    const f = await week(join(ROOT, 'test', 'fixtures', 'incidents', 'one-chain', 'input.log'), '2026-W46');
    expect(f.narrative.opening.startsWith('One likely intrusion needs attention on db-02: backup from 198.51.100.77.')).toBe(true);
    expect(f.incidents).toHaveLength(1);
    expect(f.incidents[0]!.timeline).toHaveLength(9);
    expect(f.incidents[0]!.timeline.map((t) => t.tactic)).toContain('persistence');
    // backup's su to root is the intruder's: it is in the card, not in "Routine work continued".
    const routine = /Routine work continued: ([^.]*)\./.exec(f.narrative.opening)?.[1] ?? '';
    expect(routine).not.toMatch(/privilege use/);
    expect(f.routine.find((r) => r.intent === 'privilege-use')).toBeUndefined();
    // The incident's signals are not listed again as single items.
    const inCard = new Set(f.incidents[0]!.timeline.map((t) => t.signal_id));
    expect(f.needs_action.filter((s) => inCard.has(s.id))).toEqual([]);
    // The intruder's six failures are the incident's, not background traffic: one other address, one attempt.
    expect(f.narrative.opening).toContain('1 failed login attempt from 1 other internet address');
    const text = render('weekly', 'text', f);
    expect(text.indexOf('INCIDENTS')).toBeLessThan(text.indexOf('SIGNALS THAT NEED ACTION'));
    expect(text).toContain('privilege escalation: backup used privilege as root');
    const html = render('weekly', 'html', f);
    expect(html).toContain('>Incidents</h2>');
  });

  it('two incidents in one week are two cards, the riskier first', async () => {
    const f = await week(join(ROOT, 'test', 'fixtures', 'incidents', 'two-interleaved', 'input.log'), '2026-W47');
    expect(f.incidents.map((c) => c.title)).toEqual([
      'Likely intrusion on web-03: alice from 203.0.113.10', 'Likely intrusion on web-03: bob from 198.51.100.200']);
    expect(f.narrative.opening).toMatch(/^2 likely intrusions need attention on web-03: alice from 203\.0\.113\.10\./);
    expect(f.narrative.opening).toContain('1 more incident follows below');
    // Guessing at carol is not part of either story: it stays a single item.
    expect(f.needs_action.map((s) => s.kind)).toContain('ssh-distributed-guessing');
  });
});

describe('weekly report of a benign week', () => {
  it('has no incident, and counts each background address once over the week, not once a day', async () => {
    const stateDir = join(tempDir('sentra-incident-report-'), 'state');
    await runScan([join(ROOT, 'test', 'fixtures', 'scenarios', 'benign-week', 'input.log')],
      { format: 'jsonl', quiet: true, year: '2026', timezone: 'UTC', stateDir, overrides: join(ROOT, 'overrides.json') }, new Capture());
    const store = new LocalStore(stateDir, STORE);
    const f = buildWeekly({ store, stateDir, period: parseWeek('2026-W45'), now: Date.parse('2026-12-01T00:00:00Z') });
    expect(f.incidents).toEqual([]);
    expect(f.narrative.opening).not.toMatch(/intrusion/);
    const noise = store.query({}).filter((s) => s.kind === 'ssh-background-noise');
    const perDay = noise.reduce((n, s) => n + Number(s.facts.sources), 0);
    const distinct = new Set(noise.flatMap((s) => s.entities.src_ips as string[])).size;
    expect(noise.length).toBeGreaterThan(1);
    expect(f.noise.addresses).toBeGreaterThanOrEqual(distinct);
    expect(f.noise.addresses).toBeLessThan(perDay);
    expect(f.narrative.opening).toContain(`${f.noise.addresses_at_least ? 'At least ' : ''}${f.noise.addresses.toLocaleString('en-US')} internet addresses made`);
  });
});
