// agent/config/load.ts: read → strict validate → defaults → deep-freeze. The rest of Sentra only ever sees
// a frozen Config; errors carry ERR_CONFIG_* and the file, line and key.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { SentraError } from '../errors.js';
import { formatProblems, validate } from '../validate.js';
import { DEFAULT_DETECTION, type DetectionConfig } from './detection.js';
import { CONFIG_SCHEMA } from './schema.js';

export interface Config {
  host?: string;
  timezone?: string;
  overrides?: string;
  rules_dirs: string[];
  detection: DetectionConfig;
}

type Plain = Record<string, unknown>;

function merge<T>(base: T, over: unknown): T {
  if (over === undefined) return base;
  if (Array.isArray(base) || typeof base !== 'object' || base === null) return over as T;
  const out: Plain = { ...(base as Plain) };
  for (const [k, v] of Object.entries(over as Plain)) out[k] = merge((base as Plain)[k], v);
  return out as T;
}

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Plain)) deepFreeze(v);
  }
  return o;
}

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Builds a frozen config from parsed data; `where` and `text` make errors point at the place. */
export function makeConfig(data: unknown, where = '(defaults)', text?: string): Config {
  const problems = validate(CONFIG_SCHEMA, data ?? {}, text);
  const d = (data ?? {}) as Plain;
  const bh = (d.detection as Plain | undefined)?.business_hours as Plain | undefined;
  for (const [path, tz] of [['/timezone', d.timezone], ['/detection/business_hours/timezone', bh?.timezone]] as const) {
    if (typeof tz === 'string' && !validZone(tz)) problems.push({ path, message: `unknown time zone "${tz}"` });
  }
  if (problems.length > 0) throw new SentraError('ERR_CONFIG_INVALID', formatProblems(problems), where);
  const cfg: Config = {
    rules_dirs: (d.rules_dirs as string[] | undefined) ?? [],
    detection: merge(DEFAULT_DETECTION, d.detection),
  };
  for (const k of ['host', 'timezone', 'overrides'] as const) if (typeof d[k] === 'string') cfg[k] = d[k] as string;
  return deepFreeze(cfg);
}

export function loadConfig(file: string | undefined): Config {
  if (file === undefined) return makeConfig({});
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SentraError('ERR_CONFIG_FILE', `cannot read: ${(err as Error).message}`, file, { cause: err });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new SentraError('ERR_CONFIG_FILE', `not valid YAML or JSON: ${(err as Error).message}`, file, { cause: err });
  }
  return makeConfig(data, file, text);
}
