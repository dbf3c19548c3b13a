// agent/override/override.ts: marks signals covered by overrides.json as suppressed (or resolved), with the
// override's id and reason. Never deletes a signal. Time checks use event time, so replays are reproducible.
import { isIP } from 'node:net';
import { CronExpressionParser } from 'cron-parser';
import type { Signal } from '../model.js';
import type { CompiledOverride, OverrideSet } from './load.js';

export interface Verdict {
  id: string;
  matched: boolean;
  /** One line per condition: what was compared and whether it held. */
  checks: Array<{ ok: boolean; text: string }>;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

function inWindow(o: CompiledOverride, first: number, last: number): { ok: boolean; text: string } {
  const w = o.spec.window!;
  const tz = w.timezone ?? 'UTC';
  const start = CronExpressionParser.parse(w.cron, { currentDate: new Date(first + 1), tz }).prev().getTime();
  const end = start + o.windowMs!;
  const ok = first >= start && last < end;
  return { ok, text: `window "${w.cron}" for ${w.duration} (${tz}) nearest opening ${new Date(start).toISOString()}`
    + ` to ${new Date(end).toISOString()} ${ok ? 'covers' : 'does not cover'} all events` };
}

export function evaluate(o: CompiledOverride, s: Signal): Verdict {
  const checks: Verdict['checks'] = [];
  const m = o.spec.match;
  const glob = (name: keyof CompiledOverride['globs'], values: string[], label: string, every: boolean): void => {
    const test = o.globs[name];
    if (!test) return;
    const ok = values.length > 0 && (every ? values.every(test) : values.some(test));
    checks.push({ ok, text: `${label} ${values.length ? values.join(', ') : '(none)'} ${ok ? 'matches' : 'does not match'} "${m[name]}"` });
  };
  if (m.signal_id !== undefined) checks.push({ ok: s.id === m.signal_id, text: `signal id ${s.id} ${s.id === m.signal_id ? '=' : '≠'} ${m.signal_id}` });
  glob('kind', [s.kind], 'kind', true);
  glob('host', [s.host], 'host', true);
  glob('rule', s.rules, 'every rule of', true);
  glob('user', [...strings(s.entities.user), ...strings(s.entities.target_user)], 'actor or target account', false);
  glob('command', [...strings(s.entities.command), ...strings(s.entities.commands), ...strings(s.facts.suspicious_commands)], 'every command', true);
  if (o.addresses) {
    const ips = [...strings(s.entities.src_ip), ...strings(s.entities.src_ips)];
    const ok = ips.length > 0 && ips.every((ip) => {
      const fam = isIP(ip);
      return fam !== 0 && o.addresses!.check(ip, fam === 4 ? 'ipv4' : 'ipv6');
    });
    checks.push({ ok, text: `source addresses ${ips.join(', ') || '(none)'} ${ok ? 'are all within' : 'are not all within'} ${m.src_ip}` });
  }
  const first = Date.parse(s.first_seen);
  const last = Date.parse(s.last_seen);
  if (o.spec.window) checks.push(inWindow(o, first, last));
  if (o.from !== undefined) checks.push({ ok: first >= o.from, text: `first event ${s.first_seen} ${first >= o.from ? 'is' : 'is not'} after ${o.spec.from}` });
  if (o.to !== undefined) checks.push({ ok: last <= o.to, text: `last event ${s.last_seen} ${last <= o.to ? 'is' : 'is not'} before ${o.spec.to}` });
  if (o.expires !== undefined) checks.push({ ok: last <= o.expires, text: `override ${last <= o.expires ? 'had not' : 'had'} expired (${o.spec.expires}) at the last event` });
  return { id: o.spec.id, matched: checks.every((c) => c.ok), checks };
}

/** The signal with `suppressed`, `override` and `overrides_matched` set from the first matching override. */
export function applyOverrides(s: Signal, set: OverrideSet): Signal {
  const matched = set.overrides.filter((o) => evaluate(o, s).matched);
  if (matched.length === 0) return s;
  const first = matched[0]!.spec;
  const mark: Signal['override'] = { id: first.id, reason: first.reason, action: first.action };
  if (first.reviewer !== undefined) mark!.reviewer = first.reviewer;
  return {
    ...s,
    suppressed: true,
    action_required: false,
    override: mark,
    overrides_matched: matched.map((o) => o.spec.id),
  };
}

export function explain(s: Signal, set: OverrideSet): Verdict[] {
  return set.overrides.map((o) => evaluate(o, s));
}
