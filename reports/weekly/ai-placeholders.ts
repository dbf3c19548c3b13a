// reports/weekly/ai-placeholders.ts: what the model is allowed to see and say. Every number, id, address,
// account, host and time in the facts becomes a placeholder ({action_count}, {account_1}, {address_2}, …)
// before anything leaves the host; the model writes prose around placeholders, and Sentra fills them from
// the facts. Identities are replaced as whole values only (exact field values; word-bounded in text), never
// inside keys or other words. A reply is refused when it holds any digit, a placeholder it was not given, a
// word that is in neither what it was given nor plain English, or a stance on action of its own: the stance
// is one placeholder, {action_statement}, filled with Sentra's own sentence.
import { COMMON_WORDS } from './ai-vocabulary.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// A value ends where a word would: not before another name character, nor before a dot that continues it.
const bounded = (v: string): RegExp => new RegExp(`(?<![A-Za-z0-9_@.-])${escape(v)}(?![A-Za-z0-9_@-]|\\.[A-Za-z0-9])`, 'g');

const ID = /\b[0-9a-f]{12}\b/g;
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
const IPV6 = /(?<![\w:])(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}(?![\w:])/g;
const TIME = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?\b|\b\d{4}-W\d{2}\b|\b\d{1,2}:\d{2}\b/g;
const NUMBER = /\d[\d,]*(?:\.\d+)?/g;
const TOKEN = /\{([a-z][a-z0-9_]*)\}/g;
const ANY = new RegExp(`(\\{[a-z][a-z0-9_]*\\})|(${ID.source})|(${IPV4.source})|(${IPV6.source})|(${TIME.source})|${NUMBER.source}`, 'g');
/** Numbers written as words state a number as surely as digits do. */
const NUMBER_WORDS = /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|dozens?|twice|thrice|half|single|double|triple|zero)\b/i;

/** Words whose use would let the model state whether action is needed: only {action_statement} may. */
const STANCE = /\b(?:actions?|act|acting|required?|requires|requiring|needs?|needed|needing|urgent(?:ly)?|nothing|attention|ignore|safe|fine|concern(?:ing|s)?|worry|alarm(?:ing)?|immediate(?:ly)?)\b/i;

export class Placeholders {
  private readonly values = new Map<string, string>();
  private readonly tokens = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  private readonly identities: Array<[RegExp, string, string]> = [];

  constructor(ids: { accounts: string[]; hosts: string[]; addresses: string[] }) {
    const all: Array<[string, string]> = [
      ...ids.hosts.map((h) => ['host', h] as [string, string]),
      ...ids.accounts.map((a) => ['account', a] as [string, string]),
      ...ids.addresses.map((a) => ['address', a] as [string, string]),
    ].filter(([, v]) => v.length > 0);
    // Longest first, so a value that contains another is replaced whole.
    for (const [kind, v] of all.sort((a, b) => b[1].length - a[1].length)) this.identities.push([bounded(v), kind, v]);
  }

  /** The placeholder of a value of a kind ({account_1}); the same value always gets the same one. */
  of(kind: string, value: string | number): string {
    const v = String(value);
    const key = `${kind}\u0000${v}`;
    let name = this.tokens.get(key);
    if (!name) {
      const n = (this.counters.get(kind) ?? 0) + 1;
      this.counters.set(kind, n);
      name = `${kind}_${n}`;
      this.tokens.set(key, name);
      this.values.set(name, v);
    }
    return `{${name}}`;
  }

  /** A placeholder with a name of its own ({action_count}). */
  named(name: string, value: string | number): string {
    this.values.set(name, String(value));
    return `{${name}}`;
  }

  /** Free text with every identity, id, address, time and number replaced. */
  text(s: string): string {
    let out = s;
    for (const [re, kind, v] of this.identities) out = out.replace(re, () => this.of(kind, v));
    // One pass, so nothing inside a placeholder already written is replaced again.
    return out.replace(ANY, (m, token: string | undefined, id, v4, v6, time) => (token ? m : this.of(id ? 'id' : v4 || v6 ? 'address' : time ? 'time' : 'number', m)));
  }

  /** Why the model's text cannot be used (empty when it can), judged before any placeholder is filled. */
  problems(reply: string, given: string, opening: string): string[] {
    const out: string[] = [];
    const bare = reply.replace(TOKEN, ' ');
    if (/\d/.test(bare)) out.push(`a digit ("${/[^\s]*\d[^\s]*/.exec(bare)![0].slice(0, 20)}")`);
    const spelled = NUMBER_WORDS.exec(bare);
    if (spelled) out.push(`a number in words ("${spelled[0]}")`);
    for (const m of reply.matchAll(TOKEN)) if (!this.values.has(m[1]!)) out.push(`a placeholder it was not given ({${m[1]}})`);
    if (/[{}]/.test(reply.replace(TOKEN, ''))) out.push('a broken placeholder');
    const statements = [...opening.matchAll(/\{action_statement\}/g)].length;
    if (statements !== 1) out.push(`{action_statement} ${statements === 0 ? 'missing from' : 'more than once in'} the opening`);
    const prose = reply.replace(TOKEN, ' ');
    const stance = STANCE.exec(prose);
    if (stance) out.push(`a stance on action of its own ("${stance[0]}")`);
    const known = new Set([...given.toLowerCase().matchAll(/[a-z]+/g)].map((m) => m[0]));
    const unknown = [...new Set([...prose.matchAll(/[A-Za-z]+(?:'[a-z]+)?/g)].map((m) => m[0].toLowerCase()))]
      .filter((w) => w.length > 2 && !known.has(w.replace(/'[a-z]+$/, '')) && !COMMON_WORDS.has(w.replace(/'[a-z]+$/, '')));
    if (unknown.length) out.push(`words that are in neither the facts nor plain English (${unknown.slice(0, 3).join(', ')})`);
    return out;
  }

  /** The text with every placeholder replaced by its value. */
  fill(text: string): string {
    return text.replace(TOKEN, (m, name: string) => this.values.get(name) ?? m);
  }
}
