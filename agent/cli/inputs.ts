// agent/cli/inputs.ts: the files given to `sentra scan`, checked, given a year policy, and put in time order
// (so `auth.log*` in shell glob order - newest first - is read oldest first, as windows need).
import { accessSync, constants, statSync } from 'node:fs';
import { SentraError } from '../errors.js';
import type { YearPolicy } from '../parse/clock.js';
import { Parser } from '../parse/parse.js';
import { readLines } from '../sources/read-lines.js';
import { nowDate } from '../clock.js';

export interface Input {
  path: string;
  years: YearPolicy;
  first: number;
  /** The host its first parsed line names, if it names one (audit.log and host-less formats do not). */
  host?: string;
  /** Whether it may hold audit records: audit.log, journal JSON, or standard input (not looked at). */
  audit: boolean;
}

export function checkInputs(paths: string[]): void {
  if (paths.length === 0) throw new SentraError('ERR_USAGE', 'give at least one log file, or - for standard input');
  if (paths.filter((p) => p === '-').length > 1) throw new SentraError('ERR_USAGE', 'standard input (-) can be read only once');
  for (const p of paths) {
    if (p === '-') continue;
    try {
      accessSync(p, constants.R_OK);
      if (!statSync(p).isFile()) throw new Error('not a regular file');
    } catch (err) {
      throw new SentraError('ERR_INPUT_NOT_FOUND', `cannot read: ${(err as Error).message.replace(/^[A-Z]+: /, '')}`, p);
    }
  }
}

/** Without --year a classic syslog line's year comes from the file's mtime: the file ends then. */
export function yearPolicy(path: string, year: number | undefined): YearPolicy {
  if (year !== undefined) return { kind: 'first', year };
  const when = path === '-' ? nowDate() : statSync(path).mtime;
  return { kind: 'reference', year: when.getUTCFullYear(), month: when.getUTCMonth() };
}

const NO_HOST = '\u0000';

async function firstLine(path: string, years: YearPolicy, timeZone: string): Promise<{ ts: number; host?: string; audit: boolean }> {
  const parser = new Parser({ years, timeZone, defaultHost: NO_HOST });
  let seen = 0;
  for await (const batch of readLines(path)) {
    for (const raw of batch) {
      const r = parser.parse(raw);
      if (typeof r !== 'string') {
        const audit = r.program === 'audit' || raw.text.startsWith('{');
        return r.host === NO_HOST ? { ts: r.ts, audit } : { ts: r.ts, host: r.host, audit };
      }
      if (++seen > 1000) return { ts: Infinity, audit: true };
    }
  }
  return { ts: Infinity, audit: false };
}

/**
 * The host of lines that name none (audit.log without node=, host-less syslog): the one host the other
 * inputs name, when they all name the same one; else undefined (the parser then says `localhost`).
 */
export function sharedHost(inputs: readonly Input[]): string | undefined {
  const hosts = new Set(inputs.flatMap((i) => (i.host === undefined ? [] : [i.host])));
  return hosts.size === 1 ? [...hosts][0] : undefined;
}

/**
 * Files oldest first, by the time of their first line (windows close as event time moves on, so a file
 * read after a newer one would arrive too late); standard input, which cannot be peeked at, comes last.
 */
export async function orderInputs(paths: string[], year: number | undefined, timeZone: string): Promise<Input[]> {
  const inputs: Input[] = [];
  for (const path of paths) {
    const years = yearPolicy(path, year);
    const first = path === '-' ? { ts: Infinity, audit: true } : await firstLine(path, years, timeZone);
    inputs.push({ path, years, first: first.ts, audit: first.audit, ...(first.host !== undefined ? { host: first.host } : {}) });
  }
  return inputs.map((x, i) => ({ x, i })).sort((a, b) => a.x.first - b.x.first || a.i - b.i).map(({ x }) => x);
}
