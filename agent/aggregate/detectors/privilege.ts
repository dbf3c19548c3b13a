// agent/aggregate/detectors/privilege.ts: privilege use (sudo, su, pkexec) per acting account and day.
// Routine maintenance (package installs, service restarts) stays calm; denials, off-hours use, suspicious
// command content and use right after a possible compromise raise the risk.
import { CappedCounter } from '../draft.js';
import type { KeyedKind, Trait } from './keyed.js';

interface PrivAcc {
  commands: CappedCounter;
  targets: CappedCounter;
  maintenance: number;
  other: number;
  switches: number;
  denied: number;
  notPermitted: number;
  offHours: number;
  suspicious: Array<{ rule: string; command: string }>;
  exploit: number;
  afterFlagged: number;
}

const LOOKBACK_MS = 24 * 3_600_000;

export const privilegeUse: KeyedKind<PrivAcc> = {
  kind: 'privilege-use',
  init: () => ({ commands: new CappedCounter(50), targets: new CappedCounter(16), maintenance: 0, other: 0, switches: 0,
    denied: 0, notPermitted: 0, offHours: 0, suspicious: [], exploit: 0, afterFlagged: 0 }),
  add(acc, ev, ctx, b) {
    const r = ev.rule;
    const { command, target_user: target, user } = ev.fields;
    let notable = false;
    if (target) acc.targets.add(target, ev.repeat);
    if (r.outcome === 'failure') {
      acc.denied += ev.repeat;
      if (/not in sudoers|not allowed/i.test(r.title) || r.tags.has('exploit')) acc.notPermitted += ev.repeat;
      notable = true;
    } else if (command) {
      acc.commands.add(command.length > 200 ? command.slice(0, 200) : command, ev.repeat);
      if (r.intent === 'maintenance') acc.maintenance += ev.repeat;
      else acc.other += ev.repeat;
    } else if (r.outcome === 'success') {
      acc.switches += ev.repeat;
    }
    if (r.tags.has('suspicious-command') || r.tags.has('exploit')) {
      if (acc.suspicious.length < 10) acc.suspicious.push({ rule: r.id, command: command ?? ev.raw.text.slice(0, 200) });
      if (r.tags.has('exploit')) acc.exploit += ev.repeat;
      notable = true;
    }
    if (ctx.hours.offHours(ev.ts) && r.intent !== 'maintenance') acc.offHours += ev.repeat;
    const flagged = user ? ctx.host.flaggedLogins.get(user) : undefined;
    if (flagged !== undefined && ev.ts >= flagged && ev.ts - flagged <= LOOKBACK_MS) {
      acc.afterFlagged += ev.repeat;
      notable = true;
    }
    b.add(ev, notable);
  },
  finish(b, acc, ctx) {
    const user = b.key;
    const traits: Trait[] = [];
    const routine = acc.other === 0 && acc.switches === 0 && acc.denied === 0 && acc.suspicious.length === 0;
    if (acc.exploit > 0) traits.push({ name: 'exploit_indicator', detail: `${acc.exploit} privilege requests match a known exploit pattern` });
    const susp = acc.suspicious.filter((s) => !s.rule.includes('exploit') || acc.exploit === 0);
    if (susp.length > 0) {
      traits.push({ name: 'suspicious_command', detail: `Commands that need a closer look: ${susp.map((s) => s.command).slice(0, 3).join('; ')}` });
    }
    if (acc.afterFlagged > 0) {
      traits.push({ name: 'follows_suspicious_login', detail: `${acc.afterFlagged} uses followed a login that came after repeated failures` });
    }
    if (acc.notPermitted > 0) {
      traits.push({ name: 'not_permitted', detail: acc.notPermitted === 1 ? '1 request was refused by policy' : `${acc.notPermitted} requests were refused by policy` });
    }
    else if (acc.denied >= 3) traits.push({ name: 'repeated_denials', detail: `${acc.denied} failed privilege requests` });
    if (acc.offHours > 0) traits.push({ name: 'off_hours', detail: `${acc.offHours} uses outside ${ctx.hours.describe()}` });
    return b.build(routine ? 'maintenance' : 'privilege-use',
      { user, target_users: acc.targets.top(16), commands: acc.commands.top(10) },
      { commands: acc.maintenance + acc.other, maintenance_commands: acc.maintenance, other_commands: acc.other,
        switches: acc.switches, denied: acc.denied, off_hours: acc.offHours, distinct_commands: acc.commands.size,
        suspicious_commands: acc.suspicious.map((s) => s.command) }, traits);
  },
};
