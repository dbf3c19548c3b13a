// agent/aggregate/dedupe.ts: one action, counted once, when both the audit subsystem and syslog carry it
// (sshd's `Failed password` and the USER_AUTH/USER_LOGIN records of the same try; sudo's COMMAND= line and
// USER_CMD; useradd's `new user` and ADD_USER). The rule, deterministic whatever order the two arrive in:
//
// - An audit event waits until event time has moved WINDOW_MS past it (the watermark), so that a log line
//   of the same action, written within the window before or after it, has been seen.
// - It is then a duplicate of a log line when both are of the same class (intent, with maintenance counted
//   as privilege-use, and outcome), at most WINDOW_MS apart, on the same host, and related: the same process
//   (pid), or the same remote source for the same (or an unnamed) account, or - when one side names no
//   process, as sudo's lines do not - the same account on the same terminal. Each log line absorbs at most
//   one audit event of its class. A duplicate is counted, not aggregated again. Audit records without
//   meaning of their own (noise: the account check, setcred, the loginuid change) are part of the action of
//   any related log line.
// - Otherwise it counts like any event: on a host that only has audit records, they are the record.
//
// The index holds the log lines themselves (no copy per line: it is on the path of every line) for twice
// the window of event time. It is a cache, not stored across restarts: an audit record that arrives after a
// restart within seconds of its log line counts on its own.
import type { Event, RuleRef } from '../model.js';

export const WINDOW_MS = 5_000;
/** Log lines kept per host and class at most, whatever their times. */
const PER_CLASS = 4096;

export const isAudit = (ev: Event): boolean => ev.program === 'audit';

const classes = new WeakMap<RuleRef, string>();

export function classOf(rule: RuleRef): string {
  let c = classes.get(rule);
  if (c === undefined) {
    c = `${rule.intent === 'maintenance' ? 'privilege-use' : rule.intent}/${rule.outcome}`;
    classes.set(rule, c);
  }
  return c;
}

/** The recent log lines of one host, by class, and which of them an audit event already repeated. */
export class LineIndex {
  private readonly byClass = new Map<string, Event[]>();
  private readonly paired = new WeakSet<Event>();

  /** Remembers a log line (not an audit record) for the audit events that may repeat it. */
  add(ev: Event): void {
    const key = classOf(ev.rule);
    let list = this.byClass.get(key);
    if (!list) this.byClass.set(key, (list = []));
    // Lines too old to pair with an audit event still to come leave from the front.
    const before = ev.ts - 2 * WINDOW_MS;
    let old = 0;
    while (old < list.length && list[old]!.ts < before) old++;
    if (list.length - old >= PER_CLASS) old = list.length - PER_CLASS + 1;
    if (old > 0) list.splice(0, old);
    list.push(ev);
  }

  /** Whether audit event `a` repeats a remembered log line; pairs them when it does. */
  absorbs(a: Event): boolean {
    if (a.rule.intent === 'noise') {
      for (const list of this.byClass.values()) for (const s of list) if (related(a, s)) return true;
      return false;
    }
    const list = this.byClass.get(classOf(a.rule));
    if (!list) return false;
    let best: Event | undefined;
    for (const s of list) {
      if (this.paired.has(s) || !related(a, s)) continue;
      // The nearest in time wins, the earlier on a tie: the same pairing whatever the arrival order.
      const d = Math.abs(s.ts - a.ts);
      if (!best || d < Math.abs(best.ts - a.ts) || (d === Math.abs(best.ts - a.ts) && s.ts < best.ts)) best = s;
    }
    if (!best) return false;
    this.paired.add(best);
    return true;
  }
}

const tty = (t: string | undefined): string | undefined => (t?.startsWith('/dev/') ? t.slice(5) : t);

/**
 * Within the window, and from the same process, or the same peer for the same (or an unnamed) account, or,
 * when one side names no process (sudo logs without a pid), the same account on the same (or an unnamed)
 * terminal.
 */
function related(a: Event, s: Event): boolean {
  if (Math.abs(s.ts - a.ts) > WINDOW_MS) return false;
  if (a.pid !== undefined && a.pid === s.pid) return true;
  const au = a.fields.user, su = s.fields.user;
  const sameUser = au !== undefined && au === su;
  const src = a.src;
  if (src !== undefined && src === s.src) return sameUser || au === undefined || su === undefined;
  if (a.pid !== undefined && s.pid !== undefined) return false;
  const at = tty(a.fields.tty), st = tty(s.fields.tty);
  return sameUser && (at === undefined || st === undefined || at === st);
}
