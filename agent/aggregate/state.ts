// agent/aggregate/state.ts: what aggregation remembers per host: open day windows, recent failures per
// source (for success-after-failures), and per-account baselines (for first-seen sources). Every map is capped.
import type { DetectionConfig } from '../config/detection.js';
import type { Event, Evidence } from '../model.js';
import { BoundedMap } from './bounded-map.js';
import { LineIndex } from './dedupe.js';
import { CappedCounter, DraftBuilder, toEvidence } from './draft.js';
import { detach } from './signal-id.js';

/** How long a process id is remembered for try counting: longer than any pre-auth connection lives. */
const PID_MEMORY_MS = 15 * 60_000;

export interface SourceStats {
  attempts: number;
  failures: number;
  probes: number;
  /** Other lines naming this source (disconnects, noise), folded in from DayState.activity at close. */
  other?: number;
  users: CappedCounter;
  /** Accounts known to log in on this host that this source tried. */
  known: Set<string>;
  first: number;
  last: number;
  rules: Set<string>;
  mitre: Set<string>;
  soc2: Set<string>;
  iso: Set<string>;
  evidence: Evidence[];
}

export interface KeyedDraft<A = unknown> {
  builder: DraftBuilder;
  acc: A;
}

export class DayState {
  readonly sources = new Map<string, SourceStats>();
  untrackedSources = 0;
  untrackedAttempts = 0;
  /** Failure lines without an address (e.g. `check pass; user unknown`) that support counted attempts. */
  supportingFailures = 0;
  /**
   * Lines naming a source that no failure or probe count took (noise, disconnects, sessions): they still
   * count toward that source's activity in its signals. Capped like sources; the rest counted together.
   */
  readonly activity = new Map<string, number>();
  untrackedActivity = 0;
  readonly keyed = new Map<string, Map<string, KeyedDraft>>();

  constructor(readonly start: number) {}
}

export interface AccountBaseline {
  sources: Set<string>;
  passwordLogins: number;
  firstSeen: number;
}

export interface RecentFailures {
  count: number;
  first: number;
  last: number;
  users: CappedCounter;
  evidence: Evidence[];
  /** Probes and other lines from the source since its first failure (context, not failures). */
  probes?: number;
  other?: number;
  /** The rules and mappings of the failure lines, so a later signal carries them. */
  rules?: Set<string>;
  mitre?: Set<string>;
  soc2?: Set<string>;
  iso?: Set<string>;
}

export class HostState {
  firstSeen = Infinity;
  readonly days = new Map<number, DayState>();
  readonly accounts = new Map<string, AccountBaseline>();
  /** Accounts seen created or changed with UID 0. */
  readonly uid0Accounts = new Set<string>();
  readonly recentFailures: BoundedMap<string, RecentFailures>;
  /** Failed password tries per sshd process (`pid`), so a connection's closing line is not counted again. */
  readonly triesByPid = new BoundedMap<number, { tries: number; at: number }>(20_000);
  /** Recent log lines, for audit events that may repeat them (see dedupe.ts; a cache, not stored). */
  readonly logLines = new LineIndex();
  /** When each account last had a possible compromise (success after failures). */
  readonly flaggedLogins = new Map<string, number>();
  lastFlaggedLogin = -Infinity;

  constructor(readonly host: string, private readonly cfg: DetectionConfig) {
    this.recentFailures = new BoundedMap(cfg.limits.recent_failure_sources);
  }

  day(start: number): DayState {
    let d = this.days.get(start);
    if (!d) this.days.set(start, (d = new DayState(start)));
    return d;
  }

  /**
   * Remembers a failure from `ip`. Beyond the cap the addresses failing longest ago are forgotten; stale
   * addresses are also pruned when a day closes (see Aggregator.closeUntil).
   */
  noteFailure(ip: string, ev: Event, user: string | undefined, attempts: number): void {
    let r = this.recentFailures.get(ip);
    if (!r) {
      r = { count: 0, first: ev.ts, last: ev.ts, users: new CappedCounter(16), evidence: [] };
      this.recentFailures.set(detach(ip), r);
    }
    r.count += attempts;
    r.last = ev.ts;
    if (user) r.users.add(user);
    if (r.evidence.length < 5) r.evidence.push(toEvidence(ev));
    const rule = ev.rule;
    r.rules ??= new Set();
    if (!r.rules.has(rule.id) && r.rules.size < 32) {
      r.rules.add(rule.id);
      for (const id of rule.mitre) (r.mitre ??= new Set()).add(id);
      for (const id of rule.soc2) (r.soc2 ??= new Set()).add(id);
      for (const id of rule.iso27001) (r.iso ??= new Set()).add(id);
    }
  }

  /**
   * Remembers a line from `source` that is not a failure (a probe, a disconnect, noise): it counts toward
   * the source's activity in `day` (null when a source count already took it) and, when the source has been
   * failing, in its success-after-failures context. No tracked source is made for it, so noise alone never
   * raises a signal.
   */
  noteActivity(source: string, ev: Event, day: DayState | null, probe: boolean): void {
    if (day !== null) {
      const n = day.activity.get(source);
      if (n !== undefined) day.activity.set(source, n + ev.repeat);
      else if (day.activity.size < this.cfg.limits.sources_per_day) day.activity.set(detach(source), ev.repeat);
      else day.untrackedActivity += ev.repeat;
    }
    // A peek: activity alone must not keep an address among the recently failing ones.
    const r = this.recentFailures.peek(source);
    if (r === undefined) return;
    if (probe) r.probes = (r.probes ?? 0) + ev.repeat;
    else r.other = (r.other ?? 0) + ev.repeat;
  }

  /**
   * How many attempts an sshd line stands for. A `try` (Failed password) is one guess, counted at once. An
   * `attempt` line (a connection's closing line, or PAM "N more") counts only when its process logged no
   * try: then it is the only record of the failure (key-only hosts, legacy PAM formats).
   */
  attemptsOf(ev: Event): number {
    const t = ev.rule.tags;
    if (!t.has('try') && !t.has('attempt')) return 0;
    const pid = ev.pid;
    if (t.has('try')) {
      if (pid !== undefined) {
        const p = this.triesByPid.get(pid);
        if (p && ev.ts - p.at < PID_MEMORY_MS) {
          p.tries += ev.repeat;
          p.at = ev.ts;
        } else this.rememberPid(pid, ev.ts, ev.repeat);
      }
      return ev.repeat;
    }
    const p = pid === undefined ? undefined : this.triesByPid.get(pid);
    if (p && p.tries > 0 && ev.ts - p.at < PID_MEMORY_MS) return 0;
    const n = Number(ev.fields.attempts);
    return (Number.isInteger(n) && n > 0 ? n : 1) * ev.repeat;
  }

  /** Connections last minutes at most (LoginGraceTime); the least recently seen processes go first. */
  private rememberPid(pid: number, ts: number, tries: number): void {
    this.triesByPid.set(pid, { tries, at: ts });
  }

  account(user: string): AccountBaseline | undefined {
    return this.accounts.get(user);
  }

  rememberLogin(user: string, ip: string | undefined, ts: number, password: boolean): void {
    let a = this.accounts.get(user);
    if (!a) this.accounts.set(detach(user), (a = { sources: new Set(), passwordLogins: 0, firstSeen: ts }));
    if (password) a.passwordLogins++;
    if (ip && !a.sources.has(ip) && a.sources.size < this.cfg.limits.sources_per_account) a.sources.add(detach(ip));
  }

  /** After the warm-up, a source never seen for an account is news; before it, everything is. */
  warm(ts: number): boolean {
    return ts - this.firstSeen >= this.cfg.new_source.warmup_hours * 3_600_000;
  }
}
