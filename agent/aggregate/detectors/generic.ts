// agent/aggregate/detectors/generic.ts: everything else worth a look (persistence, defence impairment,
// exploit indicators, rules of medium severity or above), grouped per rule, main entity and day.
import type { Intent, Severity } from '../../model.js';
import type { KeyedKind, Trait } from './keyed.js';

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

interface GenericAcc {
  intent: Intent;
  severity: Severity;
  title: string;
  entity: Record<string, string>;
  offHours: number;
}

export const byRule: KeyedKind<GenericAcc> = {
  kind: 'rule-match',
  init: () => ({ intent: 'noise', severity: 'info', title: '', entity: {}, offHours: 0 }),
  add(acc, ev, ctx, b) {
    if (RANK[ev.rule.severity] > RANK[acc.severity]) acc.severity = ev.rule.severity;
    acc.title = ev.rule.title;
    acc.intent = ev.rule.intent;
    if (Object.keys(acc.entity).length === 0) {
      for (const k of ['user', 'target_user', 'src_ip', 'src_host', 'unit', 'service', 'module', 'command']) {
        const v = ev.fields[k];
        if (v) acc.entity[k] = v.length > 200 ? v.slice(0, 200) : v;
      }
    }
    if (ctx.hours.offHours(ev.ts)) acc.offHours += ev.repeat;
    b.add(ev, RANK[ev.rule.severity] >= 3);
  },
  finish(b, acc, ctx) {
    const traits: Trait[] = [];
    if (acc.severity !== 'info' && acc.severity !== 'low') {
      traits.push({ name: `${acc.severity}_severity_rule`, detail: `the rule "${acc.title}" is rated ${acc.severity}` });
    }
    if (acc.offHours > 0 && RANK[acc.severity] >= 2) traits.push({ name: 'off_hours', detail: `Seen outside ${ctx.hours.describe()}` });
    const rule = b.key.split('|')[0] ?? '';
    return b.build(acc.intent, { ...acc.entity }, { rule, rule_title: acc.title, severity: acc.severity, occurrences: b.count }, traits);
  },
};

