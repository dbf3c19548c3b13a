// scripts/bench-correlate.ts: what the correlate stage costs. (1) On the benchmark log fed like the live
// agent (batches of 5,000 lines, a snapshot of the open windows and the incident updates after each), the time
// spent rebuilding chains against the whole pipeline, and the most signals held. (2) One rebuild of a host that
// holds the cap (5,000 signals), 50 of them intrusions with follow-up steps.
import { readFileSync } from 'node:fs';
import { DEFAULT_DETECTION } from '../agent/config/detection.js';
import { Correlator } from '../agent/correlate/correlate.js';
import { loadRules } from '../agent/match/load-rules.js';
import type { RawLine, Signal } from '../agent/model.js';
import { EMPTY_OVERRIDES } from '../agent/override/load.js';
import { Parser } from '../agent/parse/parse.js';
import { Pipeline } from '../agent/pipeline.js';

export interface CorrelateBench {
  lines: number; pipeline_seconds: number; correlate_seconds: number; share: number; rebuilds: number; max_held: number; incidents: number;
  full_host_signals: number; full_host_rebuild_ms: number; full_host_incidents: number;
}

export function benchCorrelate(log: string): CorrelateBench {
  const text = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const lines: RawLine[] = text.map((t, i) => ({ text: t, file: log, lineNo: i + 1 }));
  const p = new Pipeline({ rules: loadRules(), detection: DEFAULT_DETECTION, overrides: EMPTY_OVERRIDES, audit: false });
  const parser = new Parser({ years: { kind: 'first', year: 2026 }, timeZone: 'UTC' });
  let maxHeld = 0;
  const incidents = new Set<string>();
  const t0 = performance.now();
  for (let at = 0; at < lines.length; at += 5000) {
    p.feed(lines.slice(at, at + 5000), parser);
    p.drain();
    p.snapshot();
    for (const i of p.incidentUpdates().incidents) incidents.add(i.id);
    maxHeld = Math.max(maxHeld, p.correlateStats.held);
  }
  p.flush();
  for (const i of p.incidentUpdates().incidents) incidents.add(i.id);
  const total = (performance.now() - t0) / 1000;
  const c = p.correlateStats;

  // A host at the cap: 5,000 signals over a day and a half, 50 intrusions (login after failures, sudo, new account).
  const corr = new Correlator(DEFAULT_DETECTION);
  const base = Date.parse('2026-03-02T00:00:00Z');
  const sig = (n: number, over: Partial<Signal>): Signal => ({
    id: n.toString(16).padStart(12, '0'), host: 'big-01', kind: 'remote-login', title: 't', intent: 'remote-access',
    first_seen: new Date(base + n * 20_000).toISOString(), last_seen: new Date(base + n * 20_000 + 60_000).toISOString(), count: 1,
    entities: { user: `u${n % 400}`, src_ips: [`10.0.${n % 200}.${n % 250}`] }, rules: [], mitre: [], soc2: [], iso27001: [], risk: 0.1,
    band: 'info', factors: [], action_required: false, explanation: '', recommended_action: '', suppressed: false, evidence: [], facts: {}, ...over,
  });
  const many: Signal[] = [];
  for (let n = 0; n < 5000; n++) {
    if (n % 100 === 0) {
      const user = `u${n % 400}`;
      const ip = `203.0.113.${n / 100}`;
      many.push(sig(n, { kind: 'ssh-success-after-failures', entities: { user, src_ip: ip }, facts: { failures_before: 9, first_failure: new Date(base).toISOString() }, risk: 0.75, band: 'high' }));
      many.push(sig(n + 1, { kind: 'privilege-use', intent: 'privilege-use', entities: { user, target_users: ['root'], commands: [`/usr/sbin/useradd x${n}`] } }));
      many.push(sig(n + 2, { kind: 'account-change', intent: 'identity-management', entities: { target_user: `x${n}` }, facts: { created: true } }));
      n += 2;
    } else many.push(sig(n, {}));
  }
  corr.observe(many);
  const one = corr.stats.ms;
  return {
    lines: lines.length, pipeline_seconds: Number(total.toFixed(2)), correlate_seconds: Number((c.ms / 1000).toFixed(3)),
    share: Number((c.ms / 1000 / total).toFixed(4)), rebuilds: c.rebuilds, max_held: maxHeld, incidents: incidents.size,
    full_host_signals: many.length, full_host_rebuild_ms: Number(one.toFixed(1)), full_host_incidents: corr.incidents().length,
  };
}
