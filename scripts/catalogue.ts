// scripts/catalogue.ts: the catalogue of upstream log calls (rules/catalogue/*.yaml) and its judge. Each
// template's example runs through the real parser and matcher twice, as an auth.log line and as a journal
// JSON entry, and is recognised when the rule it names wins with the expected class and fields. A template
// kept as deliberate noise is recognised when no rule, or only a noise rule, takes it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadRules } from '../agent/match/load-rules.js';
import { Matcher } from '../agent/match/match.js';
import type { Event, Intent, Outcome } from '../agent/model.js';
import { Parser } from '../agent/parse/parse.js';
import { bundledRulesDir } from '../agent/paths.js';
import { formatProblems, validate } from '../agent/validate.js';

export interface Template {
  id: string;
  source: string;
  function: string;
  call: string;
  versions: string;
  default: boolean;
  program: string;
  example: string;
  rule?: string;
  expect?: { intent: Intent; outcome: Outcome; fields?: Record<string, string> };
  noise_reason?: string;
}

export interface CatalogueFile {
  file: string;
  family: string;
  upstream: string;
  templates: Template[];
}

export const catalogueDir = (): string => join(bundledRulesDir(), 'catalogue');

/** Every catalogue file of `dir`, validated against catalogue.schema.json; throws naming the file and the problem. */
let catalogueSchema: object | undefined; // one object, so the validator compiles it once
export function loadCatalogue(dir = catalogueDir()): CatalogueFile[] {
  const schema = (catalogueSchema ??= JSON.parse(readFileSync(join(catalogueDir(), 'catalogue.schema.json'), 'utf8')) as object);
  return readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort().map((name) => {
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    const data = parseYaml(text) as Omit<CatalogueFile, 'file'>;
    const problems = validate(schema, data, text);
    if (problems.length > 0) throw new Error(`${file}: ${formatProblems(problems)}`);
    return { file, ...data };
  });
}

export type Path = 'text' | 'journal';

export interface Verdict {
  template: Template;
  path: Path;
  ok: boolean;
  /** Why not, in words, when not ok. */
  problem?: string;
  event: Event | null;
}

const HOST = 'web-1';
const PID = 4242;

/** The example as one classic auth.log line, or as one `journalctl -o json` entry. */
export function asInput(t: Template, path: Path): string {
  if (path === 'text') return `Mar  4 05:06:07 ${HOST} ${t.program}[${PID}]: ${t.example}`;
  return JSON.stringify({
    __REALTIME_TIMESTAMP: '1772600767000000', _HOSTNAME: HOST, SYSLOG_IDENTIFIER: t.program, SYSLOG_PID: String(PID),
    _PID: String(PID), _TRANSPORT: 'syslog', SYSLOG_FACILITY: '10', PRIORITY: '6', MESSAGE: t.example,
  });
}

export class Judge {
  readonly matcher: Matcher;

  constructor(matcher?: Matcher) {
    this.matcher = matcher ?? new Matcher(loadRules().rules);
  }

  classify(t: Template, path: Path): { event: Event | null; parsed: boolean } {
    const parser = new Parser({ years: { kind: 'first', year: 2026 }, timeZone: 'UTC' });
    const line = parser.parse({ text: asInput(t, path), file: path === 'text' ? 'auth.log' : 'journal', lineNo: 1 });
    if (typeof line === 'string') return { event: null, parsed: false };
    return { event: this.matcher.match(line), parsed: line.program === t.program && line.message === t.example };
  }

  judge(t: Template, path: Path): Verdict {
    const { event, parsed } = this.classify(t, path);
    const no = (problem: string): Verdict => ({ template: t, path, ok: false, problem, event });
    if (!parsed) return no('the line did not parse to its program and message');
    if (t.rule === undefined) {
      if (event !== null && event.rule.intent !== 'noise') return no(`kept as noise but rule ${event.rule.id} (${event.rule.intent}) takes it`);
      return { template: t, path, ok: true, event };
    }
    if (event === null) return no(`no rule matches (expected ${t.rule})`);
    if (event.rule.id !== t.rule) return no(`won by ${event.rule.id}, expected ${t.rule}`);
    const e = t.expect!;
    if (event.rule.intent !== e.intent || event.rule.outcome !== e.outcome) {
      return no(`class ${event.rule.intent}/${event.rule.outcome}, expected ${e.intent}/${e.outcome}`);
    }
    for (const [k, v] of Object.entries(e.fields ?? {})) {
      if (event.fields[k] !== v) return no(`field ${k} = ${JSON.stringify(event.fields[k])}, expected ${JSON.stringify(v)}`);
    }
    return { template: t, path, ok: true, event };
  }
}

export interface FamilyCoverage {
  family: string;
  templates: number;
  defaults: number;
  /** Recognised counts per path, over default-configuration templates and over all. */
  text: { default: number; all: number };
  journal: { default: number; all: number };
  failures: Verdict[];
}

export function coverage(files: readonly CatalogueFile[], judge = new Judge()): FamilyCoverage[] {
  return files.map((f) => {
    const c: FamilyCoverage = {
      family: f.family, templates: f.templates.length, defaults: f.templates.filter((t) => t.default).length,
      text: { default: 0, all: 0 }, journal: { default: 0, all: 0 }, failures: [],
    };
    for (const t of f.templates) {
      for (const path of ['text', 'journal'] as const) {
        const v = judge.judge(t, path);
        if (!v.ok) c.failures.push(v);
        else {
          c[path].all++;
          if (t.default) c[path].default++;
        }
      }
    }
    return c;
  });
}

const pct = (n: number, of: number): string => (of === 0 ? '–' : `${((100 * n) / of).toFixed(1)}%`);

/** The per-family table the README carries (checked by test/match/catalogue.test.ts). */
export function coverageTable(rows: readonly FamilyCoverage[]): string {
  const sum = (pick: (r: FamilyCoverage) => number): number => rows.reduce((a, r) => a + pick(r), 0);
  const total: FamilyCoverage = {
    family: '**all**', templates: sum((r) => r.templates), defaults: sum((r) => r.defaults),
    text: { default: sum((r) => r.text.default), all: sum((r) => r.text.all) },
    journal: { default: sum((r) => r.journal.default), all: sum((r) => r.journal.all) }, failures: [],
  };
  const lines = [
    '| family | templates | default config | default, text | default, journal | all, text | all, journal |',
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of [...rows, total]) {
    lines.push(`| ${r.family} | ${r.templates} | ${r.defaults} | ${pct(r.text.default, r.defaults)} | ${pct(r.journal.default, r.defaults)} `
      + `| ${pct(r.text.all, r.templates)} | ${pct(r.journal.all, r.templates)} |`);
  }
  return lines.join('\n');
}
