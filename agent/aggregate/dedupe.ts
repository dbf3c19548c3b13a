// agent/aggregate/dedupe.ts: one action, counted once, when both the audit subsystem and syslog carry it
// (sshd's `Failed password` and the USER_AUTH/USER_LOGIN records of the same try; sudo's COMMAND= line and
// USER_CMD; useradd's `new user` and ADD_USER). The rule, deterministic whatever order the two arrive in:
//
// - An audit event waits until event time has moved WINDOW_MS past it (the watermark), so that a log line
//   of the same action, written within the window before or after it, has been seen.
// - It is then a duplicate of a log line when both are of the same class (intent, with maintenance counted
//   as privilege-use, and outcome), at most WINDOW_MS apart, on the same host, and related: the same process
//   (pid), or the same remote source for the same (or an unnamed) account, or - when the log line names no
//   process, as sudo's do not - the same account on the same terminal. Each log line
//   absorbs at most one audit event of its class. A duplicate is counted, not aggregated again. Audit
//   records without meaning of their own (noise: the account check, setcred, the loginuid change) are part
//   of the action of any related log line.
// - Otherwise it counts like any event: on a host that only has audit records, they are the record.
import type { Event } from '../model.js';
import { sourceOf } from './sources.js';

export const WINDOW_MS = 5_000;
/** Log lines remembered per host and class: more than enough for WINDOW_MS of auth traffic. */
const PER_CLASS = 512;

export interface SeenLine {
  ts: number;
  pid: number | undefined;
  src: string | undefined;
  user: string | undefined;
  tty: string | undefined;
  paired: boolean;
}

export const isAudit = (ev: Event): boolean => ev.program === 'audit';

export function classOf(ev: Event): string {
  const intent = ev.rule.intent === 'maintenance' ? 'privilege-use' : ev.rule.intent;
  return `${intent}/${ev.rule.outcome}`;
}

function seen(ev: Event): SeenLine {
  const tty = ev.fields.tty;
  return { ts: ev.ts, pid: ev.pid, src: sourceOf(ev.fields), user: ev.fields.user,
    tty: tty?.startsWith('/dev/') ? tty.slice(5) : tty, paired: false };
}

/**
 * Within the window, and from the same process, or the same peer for the same (or an unnamed) account, or,
 * when one side names no process (sudo logs without a pid), the same account on the same (or an unnamed)
 * terminal.
 */
function related(a: SeenLine, s: SeenLine): boolean {
  if (Math.abs(s.ts - a.ts) > WINDOW_MS) return false;
  if (a.pid !== undefined && a.pid === s.pid) return true;
  const sameUser = a.user !== undefined && a.user === s.user;
  if (a.src !== undefined && a.src === s.src) return sameUser || a.user === undefined || s.user === undefined;
  return (a.pid === undefined || s.pid === undefined) && sameUser && (a.tty === undefined || s.tty === undefined || a.tty === s.tty);
}

/** Remembers a log line (not an audit record) for the audit events that may repeat it. */
export function rememberLine(index: Map<string, SeenLine[]>, ev: Event): void {
  const key = classOf(ev);
  let list = index.get(key);
  if (!list) index.set(key, (list = []));
  // Lines too old to pair with an audit event still to come leave from the front (lines arrive in time order).
  let old = 0;
  const before = ev.ts - 2 * WINDOW_MS;
  while (old < list.length && list[old]!.ts < before) old++;
  if (list.length - old >= PER_CLASS) old = list.length - PER_CLASS + 1;
  if (old > 0) list.splice(0, old);
  list.push(seen(ev));
}

/**
 * Whether audit event `ev` repeats a remembered log line; pairs them when it does. An audit record of no
 * meaning of its own (noise: USER_ACCT success, CRED_ACQ, LOGIN) is part of the action of any log line of the
 * same process or peer, and pairs with none in particular.
 */
export function absorbs(index: Map<string, SeenLine[]>, ev: Event): boolean {
  const a = seen(ev);
  if (ev.rule.intent === 'noise') {
    for (const list of index.values()) for (const s of list) if (related(a, s)) return true;
    return false;
  }
  const list = index.get(classOf(ev));
  if (!list) return false;
  let best: SeenLine | undefined;
  for (const s of list) {
    if (s.paired || !related(a, s)) continue;
    // The nearest in time wins, the earlier on a tie: the same pairing whatever the arrival order.
    if (!best || Math.abs(s.ts - a.ts) < Math.abs(best.ts - a.ts) || (Math.abs(s.ts - a.ts) === Math.abs(best.ts - a.ts) && s.ts < best.ts)) best = s;
  }
  if (!best) return false;
  best.paired = true;
  return true;
}

/** Forgets lines too old to pair with any audit event still to come. */
export function prune(index: Map<string, SeenLine[]>, before: number): void {
  for (const [k, list] of index) {
    let i = 0;
    while (i < list.length && list[i]!.ts < before) i++;
    if (i === list.length) index.delete(k);
    else if (i > 0) list.splice(0, i);
  }
}
