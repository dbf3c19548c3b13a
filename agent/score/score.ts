// agent/score/score.ts: SignalDraft → Signal: risk in [0, 1] from named factors, band, action_required,
// and the calm explanation and recommended action. Pure.
import type { Band, Factor, Signal, SignalDraft } from '../model.js';
import { BANDS, BASE_RISK, FACTOR_WEIGHTS } from './factors.js';
import { WORDS } from './templates.js';

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function bandOf(risk: number): Band {
  return BANDS.find((b) => risk >= b.min)!.band;
}

export function score(d: SignalDraft): Signal {
  const base = BASE_RISK[d.kind] ?? 0.1;
  const factors: Factor[] = [{ name: 'base', weight: base, detail: `base risk of a ${d.kind} signal` }];
  for (const t of d.traits) {
    const weight = FACTOR_WEIGHTS[t.name];
    if (weight === undefined) throw new Error(`unknown risk factor "${t.name}" in ${d.kind}`);
    factors.push({ name: t.name, weight, detail: t.detail });
  }
  const risk = round2(Math.min(1, factors.reduce((s, f) => s + f.weight, 0)));
  const band = bandOf(risk);
  const actionRequired = band === 'high' || band === 'medium';
  const words = WORDS[d.kind];
  if (!words) throw new Error(`no words for signal kind "${d.kind}"`);
  const action = !actionRequired && words.calmAction ? words.calmAction(d) : words.action(d);
  return {
    id: d.id,
    host: d.host,
    kind: d.kind,
    title: words.title(d),
    intent: d.intent,
    first_seen: new Date(d.firstSeen).toISOString(),
    last_seen: new Date(d.lastSeen).toISOString(),
    count: d.count,
    entities: d.entities,
    rules: d.rules,
    mitre: d.mitre,
    soc2: d.soc2,
    iso27001: d.iso27001,
    risk,
    band,
    factors,
    action_required: actionRequired,
    explanation: words.explanation(d),
    recommended_action: action,
    suppressed: false,
    evidence: d.evidence,
    facts: d.facts,
  };
}
