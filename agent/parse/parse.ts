// agent/parse/parse.ts: RawLine → Line, or a counted reason why not. Pure apart from the timestamp caches
// and the year resolver, which a Parser owns per input so that two inputs never share year state.
import type { Line, RawLine } from '../model.js';
import { YearResolver, ZoneClock, type YearPolicy } from './clock.js';
import { parseJournalJson } from './journal-json.js';
import { looksLikeRfc3339, NameCache, parseClassic, parseRfc3339, TimestampCache, type Envelope } from './syslog.js';

export interface ParseOptions {
  years: YearPolicy;
  timeZone: string;
  /** Replaces the host name of every line (for logs copied from elsewhere). */
  host?: string;
}

/** A parsed line, or the reason (a short string) why the line could not be parsed. */
export type ParseResult = Line | string;

const REPEATED = /^message repeated (\d+) times: \[ ?([\s\S]*?) ?\]$/;
// Classic syslogd: the previous line of this input happened N more times; the line has no program.
const LAST_REPEATED = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?:\S+ )?\s*last message repeated (\d+) times?$/;

export class Parser {
  private readonly years: YearResolver;
  private readonly zone: ZoneClock;
  private readonly classicCache = new TimestampCache();
  private readonly isoCache = new TimestampCache();
  private readonly nameCache = new NameCache();
  private readonly names = new Map<string, string>();
  private last: Line | undefined;

  constructor(private readonly opts: ParseOptions) {
    this.years = new YearResolver(opts.years);
    this.zone = new ZoneClock(opts.timeZone);
  }

  parse(raw: RawLine): ParseResult {
    const text = raw.text;
    if (text.length === 0) return 'empty';
    let env: Envelope | string;
    const c = text.charCodeAt(0);
    if (c === 123) { // '{': journal JSON
      const j = parseJournalJson(text);
      if (typeof j !== 'string' && j.cursor !== undefined) raw.cursor = j.cursor;
      env = j;
    } else if (c >= 48 && c <= 57 && looksLikeRfc3339(text)) {
      env = parseRfc3339(text, this.zone, this.isoCache, this.nameCache);
    } else {
      env = parseClassic(text, this.years, this.zone, this.classicCache, this.nameCache);
    }
    if (typeof env === 'string') return this.lastRepeated(raw, env);
    let message = env.message;
    let repeat = 1;
    if (message.charCodeAt(0) === 109 && message.startsWith('message repeated ')) {
      const m = REPEATED.exec(message);
      if (m) {
        repeat = Number(m[1]);
        message = m[2]!;
      }
    }
    const host = this.opts.host ?? (env.host === this.nameCache.host ? env.host : (this.nameCache.host = this.intern(env.host)));
    const program = env.program === this.nameCache.program ? env.program : (this.nameCache.program = this.intern(env.program));
    this.last = { ts: env.ts, host, program, pid: env.pid, message, repeat, raw };
    return this.last;
  }

  /** `last message repeated N times` stands for N more copies of the line before it; else the reason stands. */
  private lastRepeated(raw: RawLine, reason: string): ParseResult {
    if (this.last === undefined || !raw.text.includes('last message repeated')) return reason;
    const m = LAST_REPEATED.exec(raw.text);
    if (!m) return reason;
    return { ...this.last, repeat: Number(m[1]), raw };
  }

  /**
   * Hosts and programs repeat on every line; handing out one string object per name lets the Maps keyed on
   * them reuse its cached hash, and keeps later state from pinning the chunk a fresh slice points into.
   */
  private intern(s: string): string {
    let v = this.names.get(s);
    if (v === undefined) {
      if (this.names.size >= 4096) this.names.clear();
      v = Buffer.from(s, 'utf8').toString('utf8');
      this.names.set(v, v);
    }
    return v;
  }
}
