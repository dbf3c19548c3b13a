// agent/match/load-rules.ts: rules/*.yaml → validated, taxonomy-checked, compiled rules.
// Fails fast with the file, the rule id and the reason; the matcher only ever sees CompiledRule.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SentraError } from '../errors.js';
import { bundledRulesDir } from '../paths.js';
import { formatProblems, lineLocator, validate } from '../validate.js';
import { compileRule, type CompiledRule, type RuleSpec } from './compile.js';
import { cachedData } from './rule-cache.js';
import { loadTaxonomy, type Taxonomy } from './taxonomy.js';

export interface RuleSet {
  rules: readonly CompiledRule[];
  taxonomy: Taxonomy;
  files: readonly string[];
  /** A digest of the rule files' contents: changes whenever a rule does. */
  version: string;
}

function ruleFiles(dir: string, optional: boolean): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    // A local rules directory (e.g. /etc/sentra/rules.d) that does not exist simply holds no rules.
    if (optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SentraError('ERR_RULE_FILE', `cannot read the rules directory: ${(err as Error).message}`, dir);
  }
  return names
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort()
    .map((n) => join(dir, n))
    .filter((f) => statSync(f).isFile());
}

function checkIds(spec: RuleSpec, taxonomy: Taxonomy, where: () => string): void {
  const lists: Array<[string, readonly string[], ReadonlyMap<string, string>]> = [
    ['mitre', spec.mitre, taxonomy.mitre], ['soc2', spec.soc2, taxonomy.soc2], ['iso27001', spec.iso27001, taxonomy.iso27001],
  ];
  for (const [field, ids, known] of lists) {
    for (const id of ids) {
      if (!known.has(id)) {
        throw new SentraError('ERR_RULE_TAXONOMY', `${field} id "${id}" is not in rules/taxonomy`, where());
      }
    }
  }
}

function compilePattern(spec: RuleSpec, where: () => string): RegExp {
  let regex: RegExp;
  try {
    regex = new RegExp(spec.pattern);
  } catch (err) {
    throw new SentraError('ERR_RULE_PATTERN', `pattern is not a valid regular expression: ${(err as Error).message}`, where());
  }
  if (!/\(\?<[A-Za-z_]/.test(spec.pattern) && (spec.examples.match.some((e) => e.fields && Object.keys(e.fields).length))) {
    throw new SentraError('ERR_RULE_PATTERN', 'examples expect fields but the pattern has no named captures', where());
  }
  return regex;
}

let ruleSchema: object | undefined;
function schema(): object {
  ruleSchema ??= JSON.parse(readFileSync(join(bundledRulesDir(), 'rule.schema.json'), 'utf8')) as object;
  return ruleSchema;
}

/**
 * Loads every rule file of `dirs` in order (the bundled rules first, then local ones such as
 * /etc/sentra/rules.d); the ids they name are checked against the taxonomy of the first directory.
 */
export function loadRules(dirs: readonly string[] = [bundledRulesDir()]): RuleSet {
  // One entry per directory, in order; the bundled directory may come from the parsed-rules cache.
  const taxonomy = loadTaxonomy(dirs[0]!);
  const rules: CompiledRule[] = [];
  const files: string[] = [];
  const seen = new Map<string, string>();
  const digest: string[] = [];
  for (const dir of dirs) {
    const texts = ruleFiles(dir, dir !== dirs[0]).map((file) => ({ file, name: basename(file), text: readFileSync(file, 'utf8') }));
    const cached = dir === bundledRulesDir() ? cachedData(texts) : undefined;
    for (const { file, name, text } of texts) {
      files.push(file);
      digest.push(text);
      let data: unknown = cached?.get(name);
      if (data === undefined) {
        try {
          data = parseYaml(text);
        } catch (err) {
          throw new SentraError('ERR_RULE_FILE', `not valid YAML: ${(err as Error).message}`, file);
        }
      }
      const problems = validate(schema(), data, text);
      if (problems.length > 0) {
        const first = problems[0]!;
        const idx = /^\/rules\/(\d+)/.exec(first.path)?.[1];
        const id = idx === undefined ? undefined : (data as { rules?: Array<{ id?: unknown }> }).rules?.[Number(idx)]?.id;
        const where = `${file}${first.line !== undefined ? `:${first.line}` : ''}${typeof id === 'string' ? ` (rule ${id})` : ''}`;
        throw new SentraError('ERR_RULE_INVALID', formatProblems(problems), where);
      }
      // Line numbers need a second, heavier parse: only done when there is an error to place.
      let locate: ((pointer: string) => number | undefined) | undefined;
      (data as { rules: RuleSpec[] }).rules.forEach((spec, i) => {
        const where = (): string => `${file}:${(locate ??= lineLocator(text))(`/rules/${i}`) ?? '?'} (rule ${spec.id})`;
        const dup = seen.get(spec.id);
        if (dup) throw new SentraError('ERR_RULE_DUPLICATE', `rule id "${spec.id}" is already defined in ${dup}`, where());
        seen.set(spec.id, file);
        checkIds(spec, taxonomy, where);
        rules.push(compileRule(spec, file, rules.length, compilePattern(spec, where)));
      });
    }
  }
  return { rules, taxonomy, files, version: shortHash(digest.join('\0')) };
}

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 12);
}
