// agent/pipeline.ts: the only module that knows the order of the stages:
//   sources → parse → match → aggregate → score → override → correlate → sinks
// `sentra scan` (replay) and `sentra agent` (live) both feed batches of raw lines through this class,
// so both judge windows by event time and produce the same signals and ids for the same lines.
import { Aggregator } from './aggregate/aggregate.js';
import { Correlator, type IncidentUpdates } from './correlate/correlate.js';
import type { DetectionConfig } from './config/detection.js';
import type { RuleSet } from './match/load-rules.js';
import { Matcher } from './match/match.js';
import type { Event, RawLine, Signal } from './model.js';
import type { OverrideSet } from './override/load.js';
import { applyOverrides } from './override/override.js';
import { FOLDED, type Parser, type ParseResult } from './parse/parse.js';
import { MAX_EVENT_MS } from './parse/journal-json.js';
import { score } from './score/score.js';

export interface ProgramCounts {
  parsed: number;
  matched: number;
}

export interface PipelineStats {
  read: number;
  parsed: number;
  matched: number;
  unparsed: number;
  unmatched: number;
  /** Audit records folded into the first record of their event (see parse/audit.ts). */
  folded: number;
  /** Audit events that repeat a log line of the same action, counted once (see aggregate/dedupe.ts). */
  duplicates: number;
  truncated: number;
  late: number;
  /** Lines dated far ahead of the lines around them; kept in their own day, they did not move time forward. */
  ahead: number;
  /** Event time (ms) of the newest line parsed: how far the agent has read (heartbeats show it). */
  newestEvent: number;
  unparsedReasons: Record<string, number>;
  programs: Map<string, ProgramCounts>;
}

export interface PipelineOptions {
  rules: RuleSet;
  detection: DetectionConfig;
  overrides: OverrideSet;
  /** Skip aggregation (for `scan --events`). */
  eventsOnly?: boolean;
  /** Aggregation and correlation state saved by saveState() before a restart. */
  state?: unknown;
  /** False when no input can hold audit records: no log line index for de-duplication (see aggregate/dedupe.ts). */
  audit?: boolean;
}

export class Pipeline {
  private matcher: Matcher;
  private readonly aggregator: Aggregator;
  private readonly correlator: Correlator;
  private overrides: OverrideSet;
  readonly stats: PipelineStats = {
    read: 0, parsed: 0, matched: 0, unparsed: 0, unmatched: 0, folded: 0, duplicates: 0, truncated: 0, late: 0, ahead: 0,
    newestEvent: 0, unparsedReasons: {}, programs: new Map(),
  };

  constructor(private readonly opts: PipelineOptions) {
    this.matcher = new Matcher(opts.rules.rules);
    const audit = opts.audit ?? true;
    // State saved before incidents existed is the aggregation state alone.
    const saved = opts.state as { pipeline?: number; aggregation?: unknown; correlation?: unknown } | undefined;
    const both = saved !== undefined && saved !== null && saved.pipeline === 2;
    const aggState = both ? saved.aggregation : saved;
    this.aggregator = aggState === undefined ? new Aggregator(opts.detection, audit) : Aggregator.restore(opts.detection, aggState, audit);
    this.correlator = both && saved.correlation !== undefined ? Correlator.restore(opts.detection, saved.correlation) : new Correlator(opts.detection);
    this.overrides = opts.overrides;
  }

  /** Swaps in new overrides (a reload); signals already emitted keep their marks. */
  setOverrides(set: OverrideSet): void {
    this.overrides = set;
  }

  /** Swaps in new rules (a reload); aggregation state is kept. */
  setRules(rules: RuleSet): void {
    this.matcher = new Matcher(rules.rules);
  }

  /** Signals of the windows still open, as they stand (see Aggregator.snapshot). */
  snapshot(): Signal[] {
    return this.finish(this.aggregator.snapshot());
  }

  /** Aggregation and correlation state for a checkpoint; call after drain() and incidentUpdates(). */
  saveState(): unknown {
    return { pipeline: 2, aggregation: this.aggregator.saveState(), correlation: this.correlator.saveState() };
  }

  /** Incidents new or changed since the last call, and earlier signals whose incident changed (correlate). */
  incidentUpdates(): IncidentUpdates {
    return this.correlator.updates();
  }

  /** Every incident among the signals correlation still holds. */
  incidents(): ReturnType<Correlator['incidents']> {
    return this.correlator.incidents();
  }

  get correlateStats(): Correlator['stats'] {
    return this.correlator.stats;
  }

  /** parse → match → aggregate for one batch; `onEvent` sees every matched event in order. */
  feed(batch: readonly RawLine[], parser: Parser, onEvent?: (ev: Event) => void): void {
    for (let i = 0; i < batch.length; i++) {
      const raw = batch[i]!;
      let parsed: ParseResult;
      try {
        parsed = parser.parse(raw);
      } catch {
        // A line no parser expected (hostile or corrupt) is counted and skipped; it never stops the input.
        parsed = 'parse-error';
      }
      this.take(raw, parsed, onEvent);
    }
    this.stats.late = this.aggregator.stats.late;
    this.stats.ahead = this.aggregator.stats.ahead;
    this.stats.duplicates = this.aggregator.stats.duplicates;
  }

  /** match → aggregate for lines parsed already (several inputs merged by time, see cli/merge.ts). */
  feedParsed(items: ReadonlyArray<{ raw: RawLine; parsed: ParseResult }>, onEvent?: (ev: Event) => void): void {
    for (const { raw, parsed } of items) this.take(raw, parsed, onEvent);
    this.stats.late = this.aggregator.stats.late;
    this.stats.ahead = this.aggregator.stats.ahead;
    this.stats.duplicates = this.aggregator.stats.duplicates;
  }

  private take(raw: RawLine, line: ParseResult, onEvent: ((ev: Event) => void) | undefined): void {
    const s = this.stats;
    s.read++;
    if (raw.truncated) s.truncated++;
    if (typeof line === 'string') {
      if (line === FOLDED) s.folded++;
      else {
        s.unparsed++;
        s.unparsedReasons[line] = (s.unparsedReasons[line] ?? 0) + 1;
      }
      return;
    }
    if (!(line.ts >= 0 && line.ts <= MAX_EVENT_MS)) {
      // A time no Date can hold (a hostile journal field, a corrupt line) would break every stage after this.
      s.unparsed++;
      s.unparsedReasons['bad-timestamp'] = (s.unparsedReasons['bad-timestamp'] ?? 0) + 1;
      return;
    }
    s.parsed++;
    if (line.ts > s.newestEvent) s.newestEvent = line.ts;
    let pc = s.programs.get(line.program);
    if (!pc) {
      // Program names come from the log; past 1000 distinct ones they are counted together.
      const name = s.programs.size < 1000 ? line.program : '(other)';
      pc = s.programs.get(name) ?? { parsed: 0, matched: 0 };
      s.programs.set(name, pc);
    }
    pc.parsed++;
    const ev = this.matcher.match(line);
    if (ev === null) {
      s.unmatched++;
      return;
    }
    s.matched++;
    pc.matched++;
    onEvent?.(ev);
    if (!this.opts.eventsOnly) this.aggregator.push(ev);
  }

  /** Signals of the windows closed so far: aggregate → score → override → correlate (labels). */
  drain(): Signal[] {
    return this.finish(this.aggregator.drain());
  }

  /** Closes all windows (end of replay or shutdown). */
  flush(): Signal[] {
    const out = this.finish(this.aggregator.flush());
    this.stats.late = this.aggregator.stats.late;
    this.stats.ahead = this.aggregator.stats.ahead;
    this.stats.duplicates = this.aggregator.stats.duplicates;
    return out;
  }

  private finish(drafts: ReturnType<Aggregator['drain']>): Signal[] {
    const signals = drafts.map((d) => applyOverrides(score(d), this.overrides));
    return this.opts.eventsOnly ? signals : this.correlator.observe(signals);
  }
}
