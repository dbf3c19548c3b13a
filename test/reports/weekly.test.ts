// The weekly report from a real store: sections in order, the facts behind them, calm words.
import { describe, expect, it } from 'vitest';
import { appendDecision } from '../../agent/decisions/decisions.js';
import { LocalStore } from '../../agent/store/local-store.js';
import { loadOverrides } from '../../agent/override/load.js';
import { isoWeekOf, parseWeek, weeksIn, dayRange } from '../../reports/period.js';
import { render } from '../../reports/render.js';
import { buildWeekly } from '../../reports/weekly/weekly.js';
import { toneProblems } from '../helpers/tone.js';
import { scenarioStore } from '../helpers/store.js';

describe('report periods', () => {
  it('names ISO weeks and finds their Mondays', () => {
    expect(new Date(parseWeek('2026-W45').from).toISOString()).toBe('2026-11-02T00:00:00.000Z');
    expect(isoWeekOf(Date.parse('2027-01-01T12:00:00Z'))).toEqual({ year: 2026, week: 53 });
    expect(weeksIn(dayRange('2026-11-01', '2026-11-20')).map((w) => w.label)).toEqual(['2026-W44', '2026-W45', '2026-W46', '2026-W47']);
  });
});

describe('weekly report', () => {
  it('tells a quiet week calmly, with every section in order', async () => {
    const { config } = await scenarioStore();
    const store = new LocalStore(config.state_dir, config.store);
    const facts = buildWeekly({ store, stateDir: config.state_dir, period: parseWeek('2026-W45'), overrides: loadOverrides(config.overrides!) });
    expect(facts.narrative.opening).toMatch(/^This week web-01 remained stable\..*No action is required\.$/);
    expect(facts.totals.action_required).toBe(0);
    expect(facts.covered).toEqual([expect.objectContaining({ override: 'patch-window', reviewer: 'maria', signals: 2 })]);
    expect(facts.noise.attempts).toBeGreaterThan(100);
    expect(facts.compliance.some((c) => c.framework === 'SOC 2' && c.control === 'CC6.1')).toBe(true);
    const html = render('weekly', 'html', facts);
    const order = ['Signals that need action', 'Activity by intent', 'Maintenance and other covered activity', 'Analyst decisions',
      'Compliance evidence', 'Compared with 2026-W44', 'Analyst handover notes'].map((h) => html.indexOf(h));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).not.toMatch(/<script|<svg/i);
    const text = render('weekly', 'text', facts);
    expect(toneProblems(`${facts.narrative.opening} ${facts.handover.watch.join(' ')}`)).toEqual([]);
    expect(text).not.toContain('!');
  });

  it('puts what needs action first, with decisions and handover notes', async () => {
    const { config } = await scenarioStore();
    const store = new LocalStore(config.state_dir, config.store);
    const week = parseWeek('2026-W11'); // the spray story, March 12
    const all = store.query({ since: week.from, until: week.to });
    const compromise = all.find((s) => s.kind === 'ssh-success-after-failures')!;
    appendDecision(config.state_dir, { signal_id: compromise.id, status: 'escalated', note: 'asked alice, no answer yet', by: 'maria' }, new Date('2026-03-13T09:00:00Z'));
    const facts = buildWeekly({ store, stateDir: config.state_dir, period: week });
    // The spray that found alice is one incident: the opening tells it first, and its signals are in its card.
    expect(facts.narrative.opening).toMatch(/^One likely intrusion needs attention on web-01: alice from 203\.0\.113\.50\./);
    expect(facts.incidents.map((i) => i.timeline.map((t) => t.signal_id)).flat()).toContain(compromise.id);
    // Its signals are not repeated as single items; the decision shows on its step of the timeline.
    expect(facts.needs_action.find((s) => s.id === compromise.id)).toBeUndefined();
    expect(facts.incidents[0]!.timeline.find((t) => t.signal_id === compromise.id)!.decision).toBe('escalated by maria');
    expect(facts.handover.open_items[0]).toMatch(/^incident [0-9a-f]{12}: Likely intrusion on web-01/);
    expect(facts.decisions).toEqual([expect.objectContaining({ signal_id: compromise.id, note: 'asked alice, no answer yet' })]);
    expect(facts.handover.pending_reviews.join('\n')).toContain(`${compromise.id}: escalated by maria`);
    // Incidents that need action first, then this week's items, then earlier weeks' items still open.
    const stories = facts.handover.open_items.filter((x) => x.startsWith('incident '));
    const rest = facts.handover.open_items.filter((x) => !x.startsWith('incident '));
    expect(stories.length).toBe(facts.incidents.filter((i) => i.action_required).length);
    expect(rest.slice(0, facts.needs_action.length).map((x) => x.slice(0, 12))).toEqual(facts.needs_action.map((n) => n.id));
    expect(rest.slice(facts.needs_action.length).every((x) => /, from \d{4}-\d{2}-\d{2} \(/.test(x))).toBe(true);
    const md = render('weekly', 'md', facts);
    expect(md).toContain(`\`${compromise.id}\``);
    expect(md).toContain('Decisions as recorded up to');
  });

  it('keeps an item open in every later report until a decision closes it, and reflects decisions made after its week', async () => {
    const { config } = await scenarioStore();
    const store = new LocalStore(config.state_dir, config.store);
    // The first week of the stories with a single item that needs action (not part of an incident).
    let week = parseWeek('2026-W01');
    let needs = buildWeekly({ store, stateDir: config.state_dir, period: week, now: week.to }).needs_action;
    for (let w = 2; w <= 52 && needs.length < 1; w++) {
      week = parseWeek(`2026-W${String(w).padStart(2, '0')}`);
      needs = buildWeekly({ store, stateDir: config.state_dir, period: week, now: week.to }).needs_action;
    }
    expect(needs.length).toBeGreaterThan(0);
    const item = needs[0]!;
    const laterWeek = { from: week.from + 14 * 86_400_000, to: week.to + 14 * 86_400_000, label: 'two weeks later' };
    const later = (now: number) => buildWeekly({ store, stateDir: config.state_dir, period: laterWeek, now });
    // Undecided: still open two weeks later, with the day it began.
    expect(later(week.to + 15 * 86_400_000).handover.open_items.join('\n')).toContain(`${item.id}: ${item.title}, from `);
    // Escalated: still open, and shown as escalated.
    appendDecision(config.state_dir, { signal_id: item.id, status: 'escalated', note: 'with the customer', by: 'maria' }, new Date(week.to + 86_400_000));
    const esc = later(week.to + 15 * 86_400_000);
    expect(esc.handover.open_items.join('\n')).toContain(`${item.id}: ${item.title}, from ${item.first_seen.slice(0, 10)} (escalated by maria, still open)`);
    expect(esc.handover.pending_reviews.join('\n')).toContain(`${item.id}: escalated by maria`);
    expect(esc.decisions.every((d) => d.title !== '(signal not in the store)')).toBe(true);
    // Resolved: gone from every later report; the earlier week, re-run now, reflects it too.
    appendDecision(config.state_dir, { signal_id: item.id, status: 'resolved', note: 'planned', by: 'maria' }, new Date(week.to + 2 * 86_400_000));
    expect(later(week.to + 15 * 86_400_000).handover.open_items.join('\n')).not.toContain(item.id);
    const again = buildWeekly({ store, stateDir: config.state_dir, period: week, now: week.to + 15 * 86_400_000 });
    expect(again.needs_action.map((n) => n.id)).not.toContain(item.id);
    expect(again.handover.decisions_as_of).toBe(new Date(week.to + 15 * 86_400_000).toISOString());
  });
});
