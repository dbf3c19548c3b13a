// agent/override/load.ts: reads overrides.json, validates it (schema, then cron, zones, dates, addresses),
// and compiles each entry once. Errors name the file, the JSON path and the line.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { CronExpressionParser } from 'cron-parser';
import { parseDocument } from 'yaml';
import { SentraError } from '../errors.js';
import { isTimeZone, lineLocator, validate, type Problem } from '../validate.js';
import { OVERRIDES_SCHEMA, type OverrideSpec, type OverridesFile } from './schema.js';

export interface CompiledOverride {
  spec: OverrideSpec;
  index: number;
  globs: Partial<Record<'kind' | 'rule' | 'host' | 'user' | 'command', (s: string) => boolean>>;
  addresses: BlockList | undefined;
  windowMs: number | undefined;
  from: number | undefined;
  to: number | undefined;
  expires: number | undefined;
}

/**
 * A shell-style glob for names, hosts and command lines: `*` is any run of characters (slashes and spaces
 * included, unlike path globs), `?` one character, `[abc]` a class; everything else is literal.
 */
export function globTest(glob: string): (s: string) => boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[' && glob.indexOf(']', i + 2) > i) {
      const end = glob.indexOf(']', i + 2);
      const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  const regex = new RegExp(`^${re}$`);
  return (s) => regex.test(s);
}

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };

export function parseDuration(s: string): number {
  let ms = 0;
  for (const m of s.matchAll(/([0-9]+)([dhms])/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms;
}

/** A date (`2027-06-30`, meaning the end of that UTC day) or a full ISO 8601 time. */
export function parseWhen(s: string, endOfDay: boolean): number {
  // Date.parse rolls 2026-02-30 over into March: the calendar date must exist as written.
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  const real = new Date(Date.UTC(y, m - 1, d));
  if (real.getUTCFullYear() !== y || real.getUTCMonth() !== m - 1 || real.getUTCDate() !== d) return NaN;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return Date.parse(`${s}T00:00:00Z`) + (endOfDay ? 86_400_000 - 1 : 0);
  if (!/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return NaN;
  return Date.parse(s);
}


function parseAddresses(s: string): BlockList | undefined {
  const list = new BlockList();
  const parts = s.split('/');
  const [addr, bits] = parts;
  const family = isIP(addr ?? '');
  if (family === 0 || parts.length > 2 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (bits === undefined) list.addAddress(addr!, type);
  else {
    const n = Number(bits);
    if (!Number.isInteger(n) || n < 0 || n > (family === 4 ? 32 : 128)) return undefined;
    list.addSubnet(addr!, n, type);
  }
  return list;
}

function compileOne(spec: OverrideSpec, index: number, problems: Problem[]): CompiledOverride {
  const at = `/overrides/${index}`;
  const globs: CompiledOverride['globs'] = {};
  for (const k of ['kind', 'rule', 'host', 'user', 'command'] as const) {
    const g = spec.match[k];
    if (g !== undefined) globs[k] = globTest(g);
  }
  let addresses: BlockList | undefined;
  if (spec.match.src_ip !== undefined) {
    addresses = parseAddresses(spec.match.src_ip);
    if (!addresses) problems.push({ path: `${at}/match/src_ip`, message: `"${spec.match.src_ip}" is not an IP address or CIDR block` });
  }
  let windowMs: number | undefined;
  if (spec.window) {
    const tz = spec.window.timezone ?? 'UTC';
    if (!isTimeZone(tz)) problems.push({ path: `${at}/window/timezone`, message: `unknown time zone "${tz}"` });
    else {
      const fields = spec.window.cron.trim().split(/\s+/).length;
      if (fields !== 5) problems.push({ path: `${at}/window/cron`, message: `has ${fields} fields; give 5 (minute hour day-of-month month day-of-week)` });
      else try {
        CronExpressionParser.parse(spec.window.cron, { tz, strict: false });
      } catch (err) {
        problems.push({ path: `${at}/window/cron`, message: `not a valid cron expression: ${(err as Error).message}` });
      }
    }
    windowMs = parseDuration(spec.window.duration);
    if (windowMs <= 0) problems.push({ path: `${at}/window/duration`, message: 'must be longer than zero' });
  }
  const when = (field: 'from' | 'to' | 'expires' | 'created', end: boolean): number | undefined => {
    const v = spec[field];
    if (v === undefined) return undefined;
    const t = parseWhen(v, end);
    if (Number.isNaN(t)) problems.push({ path: `${at}/${field}`, message: `"${v}" is not a date (YYYY-MM-DD) or ISO 8601 time with a zone` });
    return t;
  };
  const from = when('from', false);
  const to = when('to', true);
  const expires = when('expires', true);
  when('created', false);
  if (from !== undefined && to !== undefined && from > to) problems.push({ path: `${at}/to`, message: 'is before "from"' });
  if (spec.window && (from !== undefined || to !== undefined)) {
    problems.push({ path: `${at}`, message: 'give either a recurring "window" or fixed "from"/"to", not both' });
  }
  return { spec, index, globs, addresses, windowMs, from, to, expires };
}

export interface OverrideSet {
  file: string;
  overrides: readonly CompiledOverride[];
  /** sha256 of the file's text, and the text itself: what was in force, for the audit trail. */
  sha256: string;
  text: string;
}

/** Validates overrides text; returns the problems (empty when valid) and the compiled set. */
export function checkOverrides(text: string, file: string): { problems: Problem[]; set?: OverrideSet } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // Node's JSON errors carry no position; the YAML parser (a JSON superset) finds the line.
    const line = parseDocument(text).errors[0]?.linePos?.[0].line;
    const p: Problem = { path: '/', message: `not valid JSON: ${(err as Error).message}` };
    if (line !== undefined) p.line = line;
    return { problems: [p] };
  }
  // JSON.parse keeps the last of two equal keys without a word; a reviewer reading the file sees the first.
  const duplicate = parseDocument(text).errors.find((e) => e.code === 'DUPLICATE_KEY');
  if (duplicate) {
    const p: Problem = { path: '/', message: 'a key appears twice in one object (JSON would keep only the last)' };
    const line = duplicate.linePos?.[0].line;
    if (line !== undefined) p.line = line;
    return { problems: [p] };
  }
  const problems = validate(OVERRIDES_SCHEMA, data, text);
  if (problems.length > 0) return { problems };
  const doc = data as OverridesFile;
  const compiled = doc.overrides.map((o, i) => compileOne(o, i, problems));
  const ids = new Map<string, number>();
  doc.overrides.forEach((o, i) => {
    if (ids.has(o.id)) problems.push({ path: `/overrides/${i}/id`, message: `duplicate id "${o.id}" (also at /overrides/${ids.get(o.id)})` });
    ids.set(o.id, i);
  });
  if (problems.length > 0) {
    const locate = lineLocator(text);
    for (const p of problems) {
      const line = p.line ?? locate(p.path);
      if (line !== undefined) p.line = line;
    }
    return { problems };
  }
  return { problems, set: { file, overrides: compiled, sha256: createHash('sha256').update(text).digest('hex'), text } };
}

export function loadOverrides(file: string): OverrideSet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SentraError('ERR_OVERRIDES_FILE', `cannot read: ${(err as Error).message}`, file, { cause: err });
  }
  const { problems, set } = checkOverrides(text, file);
  if (!set) {
    const first = problems[0]!;
    throw new SentraError(first.message.startsWith('not valid JSON') ? 'ERR_OVERRIDES_FILE' : 'ERR_OVERRIDES_INVALID',
      problems.map((p) => `${p.path}: ${p.message}`).join('; '), `${file}${first.line !== undefined ? `:${first.line}` : ''}`);
  }
  return set;
}

export const EMPTY_OVERRIDES: OverrideSet = { file: '(none)', overrides: [], sha256: '', text: '' };
