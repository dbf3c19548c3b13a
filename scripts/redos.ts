// scripts/redos.ts: proves rule patterns free of catastrophic backtracking with recheck, bounded by work
// (recheck's step and string-size limits, a fixed fuzzing seed), never by wall-clock time, so a slow or
// loaded machine reaches the same verdict, only later. Verdicts of patterns already proved are kept in
// rules/redos-verdicts.json by a hash of the pattern, flags, recheck version and options; `npm run redos`
// proves the new ones and rewrites the file (commit it with the rule change). The test re-proves any
// pattern the file does not vouch for.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, type Parameters as RecheckParameters } from 'recheck';
import { loadRules } from '../agent/match/load-rules.js';
import { packageRoot } from '../agent/paths.js';

/** Every time limit off; only work limits (recheck's defaults) and a fixed seed decide. */
export const REDOS_OPTIONS: RecheckParameters = {
  timeout: null, attackTimeout: null, incubationTimeout: null, seedingTimeout: null, recallTimeout: -1, randomSeed: 0,
};

const RECHECK_VERSION = (JSON.parse(readFileSync(join(packageRoot(), 'node_modules', 'recheck', 'package.json'), 'utf8')) as { version: string }).version;

export const verdictsPath = (): string => join(packageRoot(), 'rules', 'redos-verdicts.json');

export interface VerdictFile {
  about: string;
  recheck: string;
  verdicts: Record<string, 'safe'>;
}

/** The key of one pattern's verdict: what was proved, with what, and how. */
export function verdictKey(pattern: string, flags = ''): string {
  return createHash('sha256').update(JSON.stringify([pattern, flags, RECHECK_VERSION, REDOS_OPTIONS])).digest('hex').slice(0, 32);
}

export function readVerdicts(): Record<string, 'safe'> {
  if (!existsSync(verdictsPath())) return {};
  const f = JSON.parse(readFileSync(verdictsPath(), 'utf8')) as VerdictFile;
  return f.recheck === RECHECK_VERSION ? f.verdicts : {};
}

export interface Proof { id: string; pattern: string; key: string; status: string; detail: string }

/** Proves one pattern; `status` is recheck's verdict: safe, vulnerable or unknown. */
export async function prove(id: string, pattern: string): Promise<Proof> {
  const d = await check(pattern, '', REDOS_OPTIONS);
  const detail = d.status === 'vulnerable' ? `${d.complexity.type}, attack ${JSON.stringify(d.attack.pattern)}`
    : d.status === 'unknown' ? `${d.error.kind}` : `${d.checker}`;
  return { id, pattern, key: verdictKey(pattern), status: d.status, detail };
}

/** The rules whose patterns the verdict file does not vouch for. */
export function unproved(): Array<{ id: string; pattern: string }> {
  const known = readVerdicts();
  return loadRules().rules.map((r) => ({ id: r.spec.id, pattern: r.spec.pattern })).filter((r) => known[verdictKey(r.pattern)] !== 'safe');
}

async function main(): Promise<void> {
  const rules = loadRules().rules;
  const known = readVerdicts();
  const verdicts: Record<string, 'safe'> = {};
  const unsafe: Proof[] = [];
  let proved = 0;
  for (const r of rules) {
    const key = verdictKey(r.spec.pattern);
    if (known[key] === 'safe') { verdicts[key] = 'safe'; continue; }
    const p = await prove(r.spec.id, r.spec.pattern);
    proved++;
    if (p.status === 'safe') verdicts[key] = 'safe';
    else unsafe.push(p);
    process.stderr.write(`${p.status.padEnd(10)} ${r.spec.id} (${p.detail})\n`);
  }
  const sorted = Object.fromEntries(Object.entries(verdicts).sort(([a], [b]) => (a < b ? -1 : 1)));
  const file: VerdictFile = { about: 'ReDoS verdicts of rule patterns, by scripts/redos.ts (npm run redos); keys hash pattern, flags, recheck version and options',
    recheck: RECHECK_VERSION, verdicts: sorted };
  writeFileSync(verdictsPath(), `${JSON.stringify(file, null, 2)}\n`);
  process.stderr.write(`${rules.length} patterns: ${proved} proved now, ${rules.length - proved} already proved, ${unsafe.length} not safe\n`);
  process.exit(unsafe.length > 0 ? 1 : 0);
}

if (process.argv[1]?.endsWith('redos.js')) await main();
