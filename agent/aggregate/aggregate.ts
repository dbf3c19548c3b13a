// agent/aggregate/aggregate.ts: Event stream → SignalDraft stream; the only stateful stage.
// Windows are UTC days of event time. A day closes once events more than `late_days` newer have been seen,
// so replaying a log gives the same drafts as following it live; later stragglers are counted as late.
import type { DetectionConfig } from '../config/detection.js';
import type { Event, SignalDraft } from '../model.js';
import { BusinessClock } from './business-hours.js';
import { decode, encode } from './codec.js';
import { isAudit, WINDOW_MS } from './dedupe.js';
import { closeSources, addSourceEvent } from './detectors/ssh-sources.js';
import { accountChange } from './detectors/accounts.js';
import { byRule } from './detectors/generic.js';
import { OVERFLOW_KEY, type DetectorContext, type KeyedKind } from './detectors/keyed.js';
import { distributedGuessing, remoteLogin, successAfterFailures, uid0Login } from './detectors/logins.js';
import { privilegeUse } from './detectors/privilege.js';
import { DraftBuilder } from './draft.js';
import { DAY_MS, dayStart, detach } from './signal-id.js';
import { HostState, type DayState } from './state.js';

const KINDS: ReadonlyMap<string, KeyedKind<unknown>> = new Map(
  [remoteLogin, successAfterFailures, uid0Login, distributedGuessing, privilegeUse, accountChange, byRule]
    .map((k) => [k.kind, k as KeyedKind<unknown>]),
);

/** An event more than this ahead of the others is a jump; CONFIRM such events in a row make it real. */
const JUMP_MS = 12 * 3_600_000;
const CONFIRM = 20;

const SSH_PROGRAMS = new Set(['sshd', 'sshd-session']);
const PRIVILEGE_PROGRAMS = new Set(['sudo', 'su', 'pkexec', 'polkitd', 'doas']);
const RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

export interface AggregateStats {
  events: number;
  late: number;
  /** Lines dated far ahead of the lines around them (not confirmed by the lines after): kept, never moving time. */
  ahead: number;
  signals: number;
  /** Audit events that repeated a log line of the same action (see dedupe.ts). */
  duplicates: number;
}

export class Aggregator {
  private readonly hosts = new Map<string, HostState>();
  private readonly hours: BusinessClock;
  private watermark = -Infinity;
  private closedBefore = -Infinity;
  private ready: SignalDraft[] = [];
  private readonly contexts = new WeakMap<HostState, DetectorContext>();
  readonly stats: AggregateStats = { events: 0, late: 0, ahead: 0, signals: 0, duplicates: 0 };
  /** Events far ahead of the watermark seen in a row, and the earliest of them. */
  private jump = { count: 0, lowest: Infinity };
  /** Audit events waiting for the log line that may repeat them, in arrival order. */
  private pending: Event[] = [];

  /**
   * `indexLines`: keep recent log lines for audit de-duplication. A replay whose inputs can hold no audit
   * record (plain auth.log) turns it off: the index is on the path of every line.
   */
  constructor(private readonly cfg: DetectionConfig, private readonly indexLines = true) {
    this.hours = new BusinessClock(cfg.business_hours);
  }

  push(ev: Event): void {
    if (ev.ts > this.watermark + JUMP_MS && Number.isFinite(this.watermark)) {
      // Far ahead of everything so far: a line dated wrongly, or a log that really moved on (a host that was
      // off). Only CONFIRM such events in a row move time forward; one stray line must not close the windows
      // of every line after it.
      this.jump.count += ev.repeat;
      this.jump.lowest = Math.min(this.jump.lowest, ev.ts);
      if (this.jump.count >= CONFIRM) {
        this.advance(this.jump.lowest);
        this.jump = { count: 0, lowest: Infinity };
      }
    } else {
      // The stream is still here: what ran ahead was stray.
      if (this.jump.count > 0) {
        this.stats.ahead += this.jump.count;
        this.jump = { count: 0, lowest: Infinity };
      }
      if (ev.ts > this.watermark) this.advance(ev.ts);
    }
    this.stats.events += ev.repeat;
    const start = dayStart(ev.ts);
    if (start < this.closedBefore) {
      this.stats.late += ev.repeat;
      return;
    }
    if (isAudit(ev)) {
      this.pending.push(ev);
      if (ev.ts < this.watermark - WINDOW_MS) this.release(this.watermark - WINDOW_MS);
      return;
    }
    const hs = this.hostState(ev.host);
    if (ev.ts < hs.firstSeen) hs.firstSeen = ev.ts;
    if (this.indexLines) hs.logLines.add(ev);
    this.route(ev, hs, hs.day(start));
  }

  /** Moves event time forward to `ts`: audit events and windows far enough behind it are settled. */
  private advance(ts: number): void {
    this.watermark = ts;
    this.release(this.watermark - WINDOW_MS);
    const horizon = dayStart(ts) - this.cfg.limits.late_days * DAY_MS;
    if (horizon > this.closedBefore) this.closeUntil(horizon);
  }

  /** Routes or absorbs the audit events older than `before` (all of them with Infinity). */
  private release(before: number): void {
    if (this.pending.length === 0) return;
    const keep: Event[] = [];
    for (const ev of this.pending) {
      if (ev.ts >= before) {
        keep.push(ev);
        continue;
      }
      const hs = this.hostState(ev.host);
      if (hs.logLines.absorbs(ev)) {
        this.stats.duplicates += ev.repeat;
        continue;
      }
      const start = dayStart(ev.ts);
      if (start < this.closedBefore) {
        this.stats.late += ev.repeat;
        continue;
      }
      if (ev.ts < hs.firstSeen) hs.firstSeen = ev.ts;
      this.route(ev, hs, hs.day(start));
    }
    this.pending = keep;
  }

  /** Drafts of the windows closed since the last call. */
  drain(): SignalDraft[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Closes every open window (end of a replay) and returns what is left. */
  flush(): SignalDraft[] {
    this.release(Infinity);
    this.closeUntil(Infinity);
    return this.drain();
  }

  /**
   * Drafts of the windows still open, as they stand now, without closing them: the live agent stores these
   * so signals appear while their day is still going on. Their ids are the ids they will close with.
   */
  snapshot(): SignalDraft[] {
    const out: SignalDraft[] = [];
    for (const hs of this.hosts.values()) {
      const ctx = this.ctxFor(hs);
      for (const start of [...hs.days.keys()].sort((a, b) => a - b)) out.push(...this.closeDay(hs.days.get(start)!, ctx));
    }
    return out;
  }

  /** Everything a restart needs to carry on exactly where this left off (after drain()). */
  saveState(): unknown {
    if (this.ready.length > 0) throw new Error('drain() before saveState(): closed drafts would be lost');
    return encode({ hosts: this.hosts, watermark: this.watermark, closedBefore: this.closedBefore, stats: this.stats, pending: this.pending,
      jump: this.jump.count > 0 ? this.jump : undefined });
  }

  static restore(cfg: DetectionConfig, state: unknown, indexLines = true): Aggregator {
    const agg = new Aggregator(cfg, indexLines);
    const s = decode(state as Parameters<typeof decode>[0], cfg) as {
      hosts: Map<string, HostState>; watermark: number; closedBefore: number; stats: AggregateStats; pending?: Event[];
      jump?: { count: number; lowest: number };
    };
    for (const [k, v] of s.hosts) agg.hosts.set(k, v);
    agg.watermark = s.watermark;
    agg.closedBefore = s.closedBefore;
    Object.assign(agg.stats, s.stats);
    // Restored events get their tag sets back as Sets (the codec stores them as such).
    agg.pending = s.pending ?? [];
    if (s.jump) agg.jump = { ...s.jump };
    agg.stats.ahead ??= 0;
    return agg;
  }

  /** What detectors see of one host; made once per host, not once per event. */
  private ctxFor(hs: HostState): DetectorContext {
    let ctx = this.contexts.get(hs);
    if (!ctx) this.contexts.set(hs, (ctx = { cfg: this.cfg, hours: this.hours, host: hs }));
    return ctx;
  }

  private hostState(host: string): HostState {
    let hs = this.hosts.get(host);
    if (!hs) this.hosts.set(detach(host), (hs = new HostState(host, this.cfg)));
    return hs;
  }

  private route(ev: Event, hs: HostState, day: DayState): void {
    const r = ev.rule;
    const f = ev.fields;
    // The remote peer: its address, else its host name. No line that names one loses it, whatever its intent.
    const src = ev.src;
    if (r.intent === 'noise') {
      if (src !== undefined) hs.noteActivity(src, ev, day, false);
      return;
    }
    const ctx = this.ctxFor(hs);
    // In session lines the session's account is target_user when an actor is named (sudo, su), else user.
    const account = r.tags.has('session-open') ? f.target_user ?? f.user : f.user;
    const uid0 = account !== undefined && account !== 'root'
      && ((r.tags.has('session-open') && f.uid === '0') || (r.intent === 'remote-access' && r.outcome === 'success' && hs.uid0Accounts.has(account)));
    if (uid0) this.keyed(uid0Login, account!, ev, ctx, day);
    if (r.intent === 'session') {
      if (src !== undefined) hs.noteActivity(src, ev, day, false);
      return;
    }

    const probe = r.intent === 'discovery' || r.tags.has('probe');
    if (src !== undefined && (r.outcome === 'failure' || probe || r.tags.has('attempt') || r.tags.has('try'))) {
      const attempts = hs.attemptsOf(ev);
      addSourceEvent(day, src, ev, ctx, attempts);
      if (attempts > 0) {
        hs.noteFailure(src, ev, f.user, attempts);
        if (f.user && !r.tags.has('invalid-user') && hs.account(f.user)) this.keyed(distributedGuessing, f.user, ev, ctx, day, attempts);
      } else hs.noteActivity(src, ev, null, probe);
      return;
    }
    if (r.intent === 'remote-access' && r.outcome === 'success') {
      const recent = src !== undefined ? hs.recentFailures.get(src) : undefined;
      const s = this.cfg.success_after_failures;
      if (recent && recent.count >= s.min_failures && ev.ts - recent.last <= s.lookback_minutes * 60_000) {
        this.keyed(successAfterFailures, `${f.user ?? 'unknown'}@${src}`, ev, ctx, day);
      }
      this.keyed(remoteLogin, f.user ?? 'unknown', ev, ctx, day);
      return;
    }
    if (src !== undefined) hs.noteActivity(src, ev, day, false);
    // Everything sudo, su and pkexec say about a request (whatever the command does) belongs to the
    // privilege use of the account that asked, so one signal tells the whole story of its day.
    if (r.intent === 'privilege-use' || r.intent === 'maintenance'
      || (PRIVILEGE_PROGRAMS.has(ev.program) && r.intent !== 'identity-management')) {
      this.keyed(privilegeUse, f.user ?? f.ruser ?? 'unknown', ev, ctx, day);
      return;
    }
    if (r.intent === 'identity-management') {
      // A user's primary group is created with it and has its name: one key for both.
      const key = f.target_user ?? f.group ?? f.user ?? 'unknown';
      this.keyed(accountChange, key, ev, ctx, day);
      return;
    }
    if (r.outcome === 'failure' && r.intent === 'credential-access' && SSH_PROGRAMS.has(ev.program)) {
      day.supportingFailures += ev.repeat;
      return;
    }
    if (r.intent === 'persistence' || r.intent === 'defense-impairment' || RANK[r.severity] >= RANK.medium
      || (r.outcome === 'failure' && r.intent === 'credential-access')) {
      const entity = f.user ?? f.target_user ?? f.unit ?? f.service ?? '';
      this.keyed(byRule, `${r.id}|${entity}`, ev, ctx, day);
    }
  }

  private keyed<A>(kind: KeyedKind<A>, key: string, ev: Event, ctx: DetectorContext, day: DayState, weight = ev.repeat): void {
    let groups = day.keyed.get(kind.kind);
    if (!groups) day.keyed.set(kind.kind, (groups = new Map()));
    let kd = groups.get(key);
    if (!kd) {
      const k = groups.size >= this.cfg.limits.keys_per_kind ? OVERFLOW_KEY : detach(key);
      kd = groups.get(k);
      if (!kd) {
        kd = { builder: new DraftBuilder(ctx.host.host, kind.kind, k, day.start, this.cfg.limits.evidence_per_signal), acc: kind.init() };
        groups.set(k, kd);
      }
    }
    kind.add(kd.acc as A, ev, ctx, kd.builder, weight);
  }

  private closeUntil(horizon: number): void {
    this.closedBefore = Math.max(this.closedBefore, horizon);
    for (const hs of this.hosts.values()) {
      const ctx = this.ctxFor(hs);
      const starts = [...hs.days.keys()].filter((s) => s < horizon).sort((a, b) => a - b);
      for (const start of starts) {
        const drafts = this.closeDay(hs.days.get(start)!, ctx);
        hs.days.delete(start);
        this.stats.signals += drafts.length;
        this.ready.push(...drafts);
      }
      const stale = this.watermark - this.cfg.success_after_failures.lookback_minutes * 60_000;
      for (const [ip, r] of [...hs.recentFailures.entries()]) if (r.last < stale) hs.recentFailures.delete(ip);
    }
  }

  private closeDay(day: DayState, ctx: DetectorContext): SignalDraft[] {
    const out = closeSources(day, ctx);
    for (const [kindName, groups] of day.keyed) {
      const kind = KINDS.get(kindName)!;
      for (const [key, kd] of groups) {
        const draft = kind.finish(kd.builder, kd.acc, ctx);
        if (!draft) continue;
        if (key === OVERFLOW_KEY) draft.facts.overflow = true;
        out.push(draft);
      }
    }
    return out.sort((a, b) => a.firstSeen - b.firstSeen || (a.id < b.id ? -1 : 1));
  }
}
