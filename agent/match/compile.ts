// agent/match/compile.ts: RuleSpec (YAML data) → CompiledRule: the regex compiled once, plus the literal
// prefix of the pattern so most rules are skipped with a startsWith() before any regex runs.
import type { Intent, Outcome, RuleRef, Severity } from '../model.js';

export interface RuleExample {
  line: string;
  program?: string;
  fields?: Record<string, string>;
}

/** A rule as written in rules/*.yaml (validated against rules/rule.schema.json). */
export interface RuleSpec {
  id: string;
  title: string;
  description: string;
  programs: string[];
  pattern: string;
  intent: Intent;
  outcome: Outcome;
  severity: Severity;
  tags?: string[];
  set?: Record<string, string>;
  mitre: string[];
  soc2: string[];
  iso27001: string[];
  false_positives?: string;
  examples: { match: RuleExample[]; no_match: string[] };
}

export interface CompiledRule {
  ref: RuleRef;
  spec: RuleSpec;
  file: string;
  /** Order of the rule across all files: the first matching rule wins. */
  order: number;
  regex: RegExp;
  /**
   * The same pattern with its named groups turned into plain ones, for the hot path: V8 then builds no
   * `groups` object per match. `slots[i]` is the field name of group i+1, or '' for an unnamed group.
   */
  fast: RegExp;
  slots: readonly string[];
  prefix: string;
  /** Group numbers (1-based) of src_ip and src_host in `fast`, or 0: the matcher normalises them. */
  ipGroup: number;
  hostGroup: number;
  /** The src_ip group admits only hex digits, dots and colons (and a zone after them): without a colon it needs no normalising. */
  ipChars: boolean;
  captures: readonly string[];
  set: Readonly<Record<string, string>> | undefined;
}

/** Rewrites `(?<name>…)` as `(…)` and lists what every capturing group is called ('' when unnamed). */
export function numberedGroups(pattern: string): { source: string; slots: string[] } {
  let out = '';
  const slots: string[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') inClass = true;
    if (c === '(') {
      const named = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(i));
      if (named) {
        slots.push(named[1]!);
        out += '(';
        i += named[0].length - 1;
        continue;
      }
      if (pattern[i + 1] !== '?') slots.push('');
    }
    out += c;
  }
  return { source: out, slots };
}

const META = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);
const QUANTIFIERS = new Set(['?', '*', '+', '{']);

/** Whether `|` appears outside any group or class: then no single prefix covers every match. */
function hasTopLevelAlternation(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/** The text every match must start with: the literal run after a leading `^`, escapes resolved. */
export function literalPrefix(pattern: string): string {
  if (!pattern.startsWith('^') || hasTopLevelAlternation(pattern)) return '';
  let out = '';
  let i = 1;
  while (i < pattern.length) {
    const c = pattern[i]!;
    let lit: string;
    let next: number;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined || /[A-Za-z0-9]/.test(e)) break; // \d, \s, \b, back-references: not literal
      lit = e;
      next = i + 2;
    } else if (META.has(c)) {
      break;
    } else {
      lit = c;
      next = i + 1;
    }
    const after = pattern[next];
    if (after !== undefined && QUANTIFIERS.has(after)) break; // the char is optional or repeated
    out += lit;
    i = next;
  }
  return out;
}

export function captureNames(regex: RegExp): string[] {
  const names: string[] = [];
  const re = /\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g;
  for (let m = re.exec(regex.source); m; m = re.exec(regex.source)) names.push(m[1]!);
  return names;
}

export function compileRule(spec: RuleSpec, file: string, order: number, regex: RegExp): CompiledRule {
  const { source, slots } = numberedGroups(spec.pattern);
  return {
    ref: {
      id: spec.id, title: spec.title, intent: spec.intent, outcome: spec.outcome, severity: spec.severity,
      tags: new Set(spec.tags ?? []), mitre: spec.mitre, soc2: spec.soc2, iso27001: spec.iso27001,
    },
    spec,
    file,
    order,
    regex,
    fast: new RegExp(source),
    slots,
    prefix: literalPrefix(spec.pattern),
    ipGroup: slots.indexOf('src_ip') + 1,
    hostGroup: slots.indexOf('src_host') + 1,
    // An optional IPv6 zone (`%eth0`) after the class only ever follows an address with colons.
    ipChars: /\(\?<src_ip>\[(?:0-9|A-F|a-f|[:.]|\\\.)+\][+*](?:\(\?:%\[\\w\.-\]\+\)\?)?\)/.test(spec.pattern),
    captures: captureNames(regex),
    set: spec.set,
  };
}
