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
  prefix: string;
  captures: readonly string[];
  set: Readonly<Record<string, string>> | undefined;
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
  return {
    ref: {
      id: spec.id, title: spec.title, intent: spec.intent, outcome: spec.outcome, severity: spec.severity,
      tags: new Set(spec.tags ?? []), mitre: spec.mitre, soc2: spec.soc2, iso27001: spec.iso27001,
    },
    spec,
    file,
    order,
    regex,
    prefix: literalPrefix(spec.pattern),
    captures: captureNames(regex),
    set: spec.set,
  };
}
