// agent/parse/parse.ts: RawLine → Line, or a counted reason why not. Pure apart from the timestamp caches
// and the year resolver, which a Parser owns per input so that two inputs never share year state.
// The header format is recognised per line, without configuration (see header.ts, syslog.ts, iso.ts).
import type { Line, RawLine } from '../model.js';
import { YearResolver, ZoneClock, type YearPolicy } from './clock.js';
import { auditEnvelope, looksLikeAudit, parseAuditLine } from './audit.js';
import { NameCache, type Envelope } from './header.js';
import { looksLikeIsoDate, parseIso, parseRfc5424, priEnd } from './iso.js';
import { parseJournalJson } from './journal-json.js';
import { parseClassic, TimestampCache } from './syslog.js';

export interface ParseOptions {
  years: YearPolicy;
  timeZone: string;
  /** Replaces the host name of every line (for logs copied from elsewhere). */
  host?: string;
  /** The host of lines that name none (host-less syslog formats); `localhost` when unset. */
  defaultHost?: string;
}

/** A parsed line, or the reason (a short string) why the line could not be parsed. */
export type ParseResult = Line | string;

/** The reason given for an audit record folded into the event before it: counted apart, not as unparsed. */
export const FOLDED = 'folded-audit-record';

const REPEATED = /^message repeated (\d+) times: \[ ?([\s\S]*?) ?\]$/;

export class Parser {
  private readonly years: YearResolver;
  private readonly zone: ZoneClock;
  private readonly classicCache = new TimestampCache();
  private readonly isoCache = new TimestampCache();
  private readonly nameCache = new NameCache();
  private readonly names = new Map<string, string>();
  private readonly defaultHost: string;
  private last: Line | undefined;
  private lastEvent = '';

  constructor(private readonly opts: ParseOptions) {
    this.years = new YearResolver(opts.years);
    this.zone = new ZoneClock(opts.timeZone);
    this.defaultHost = opts.defaultHost || 'localhost';
  }

  parse(raw: RawLine): ParseResult {
    const text = raw.text;
    if (text.length === 0) return 'empty';
    const c = text.charCodeAt(0);
    // BSD lines (a month or weekday name) are most lines: the others are told apart out of the hot path.
    const env = c >= 65 && c <= 90
      ? parseClassic(text, this.years, this.zone, this.classicCache, this.nameCache)
      : this.parseOther(raw, text, c);
    if (typeof env === 'string') return env;
    if (env.repeatLast !== undefined) return this.lastRepeated(raw, env.repeatLast);
    if (env.event !== undefined) {
      if (env.event === this.lastEvent) return FOLDED;
      this.lastEvent = env.event;
    }
    let message = env.message;
    let repeat = 1;
    if (message.charCodeAt(0) === 109 && message.startsWith('message repeated ')) {
      const m = REPEATED.exec(message);
      if (m) {
        repeat = Number(m[1]);
        message = m[2]!;
      }
    }
    const named = env.host === '' ? this.defaultHost : env.host;
    const host = this.opts.host ?? (named === this.nameCache.host ? named : (this.nameCache.host = this.intern(named)));
    const program = env.program === this.nameCache.program ? env.program : (this.nameCache.program = this.intern(env.program));
    this.last = { ts: env.ts, host, program, pid: env.pid, message, repeat, raw };
    return this.last;
  }

  private parseOther(raw: RawLine, text: string, c: number): Envelope | string {
    if (c === 0xfeff) return text.length > 1 ? this.parseOther(raw, text.slice(1), text.charCodeAt(1)) : 'empty'; // a BOM
    if (c === 123) { // '{': journal JSON
      const j = parseJournalJson(text);
      if (typeof j !== 'string' && j.cursor !== undefined) raw.cursor = j.cursor;
      return j;
    }
    if (c >= 48 && c <= 57 && looksLikeIsoDate(text)) return parseIso(text, this.zone, this.isoCache, this.nameCache);
    if (c === 60) return this.withPri(text); // '<PRI>': RFC 5424, or a BSD/ISO line as sent over the network
    if (looksLikeAudit(text)) { // `type=` / `node=`: audit.log
      const r = parseAuditLine(text);
      return typeof r === 'string' ? r : auditEnvelope(r);
    }
    return parseClassic(text, this.years, this.zone, this.classicCache, this.nameCache);
  }

  private withPri(text: string): Envelope | string {
    const at = priEnd(text);
    if (at === -1) return 'bad-header';
    const v = text.charCodeAt(at);
    if (v >= 49 && v <= 57 && text.charCodeAt(at + 1) === 32) return parseRfc5424(text, at, this.zone, this.isoCache, this.nameCache);
    const rest = text.slice(at);
    if (looksLikeIsoDate(rest)) return parseIso(rest, this.zone, this.isoCache, this.nameCache);
    return parseClassic(rest, this.years, this.zone, this.classicCache, this.nameCache);
  }

  /** `last message repeated N times` stands for N more copies of the line before it. */
  private lastRepeated(raw: RawLine, n: number): ParseResult {
    if (this.last === undefined) return 'repeat-without-line';
    return { ...this.last, repeat: n, raw };
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
