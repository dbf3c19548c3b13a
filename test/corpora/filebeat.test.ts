// Agreement with Elastic filebeat's auth pipeline on its own test logs: for every line filebeat parsed,
// Sentra's event must carry the same user, source address, program and outcome (where filebeat has them).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../agent/match/load-rules.js';
import { Matcher } from '../../agent/match/match.js';
import { Parser } from '../../agent/parse/parse.js';
import { corpus } from '../helpers/corpora.js';

const matcher = new Matcher(loadRules().rules);

type Expected = Record<string, unknown>;
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v).trim());

interface Ours { program: string; user?: string; src_ip?: string; outcome?: string; matched: boolean }

function compare(exp: Expected, ours: Ours): string[] {
  const diffs: string[] = [];
  const want = (k: string, got: string | undefined, expected: string | undefined): void => {
    if (expected !== undefined && got !== expected) diffs.push(`${k}: filebeat ${expected}, sentra ${got ?? '(none)'}`);
  };
  if (!ours.matched) return ['no rule matched'];
  want('process.name', ours.program, str(exp['process.name']));
  want('user.name', ours.user, str(exp['user.name']));
  want('source.ip', ours.src_ip, str(exp['source.ip']));
  want('event.outcome', ours.outcome, str(exp['event.outcome']));
  return diffs;
}

const parsedByFilebeat = (e: Expected): boolean =>
  ['user.name', 'source.ip', 'event.outcome'].some((k) => e[k] !== undefined);

function oursFor(program: string, message: string): Ours {
  const hit = matcher.classify(program, message);
  if (!hit) return { program, matched: false };
  const f = hit.fields;
  const o: Ours = { program, matched: true, outcome: hit.rule.spec.outcome };
  const user = f.user ?? f.target_user;
  if (user !== undefined) o.user = user;
  if (f.src_ip !== undefined) o.src_ip = f.src_ip;
  return o;
}

const results: Array<{ file: string; offset: number | string; diffs: string[] }> = [];

describe('filebeat system/auth test logs', () => {
  for (const name of ['test.log', 'auth-ubuntu1204.log', 'secure-rhel7.log']) {
    it(`${name}: every line filebeat parsed is recognised by a rule`, () => {
      const log = readFileSync(corpus('beats-system-auth', name));
      const expected = JSON.parse(readFileSync(corpus('beats-system-auth', `${name}-expected.json`), 'utf8')) as Expected[];
      const parser = new Parser({ years: { kind: 'first', year: 2019 }, timeZone: 'UTC' });
      let parsed = 0;
      for (const e of expected.filter(parsedByFilebeat)) {
        const offset = Number(e['log.offset']);
        const end = log.indexOf(10, offset);
        const text = log.subarray(offset, end === -1 ? undefined : end).toString('utf8');
        const r = parser.parse({ text, file: name, lineNo: 0 });
        expect(typeof r, text).toBe('object');
        if (typeof r === 'string') continue;
        parsed++;
        results.push({ file: name, offset, diffs: compare(e, oursFor(r.program, r.message)) });
      }
      expect(parsed).toBeGreaterThan(5);
    });
  }

  it('debian-12 journal entries: agree on the same fields', () => {
    const entries = JSON.parse(readFileSync(corpus('beats-system-auth', 'debian-12.journal-expected.json'), 'utf8')) as Expected[];
    for (const e of entries.filter(parsedByFilebeat)) {
      results.push({ file: 'debian-12.journal', offset: String(e.message).slice(0, 40),
        diffs: compare(e, oursFor(String(e['process.name']), String(e.message).trim())) });
    }
    expect(entries.length).toBe(9);
  });

  it('agree on at least 99% of the lines filebeat parsed', () => {
    const disagreements = results.filter((r) => r.diffs.length > 0);
    const rate = 1 - disagreements.length / results.length;
    // Printed so the figure can be quoted; the assertion is the bar.
    console.log(`filebeat agreement: ${results.length - disagreements.length}/${results.length} lines (${(rate * 100).toFixed(2)}%)`);
    for (const d of disagreements) console.log(`  ${d.file}@${d.offset}: ${d.diffs.join('; ')}`);
    // 68 lines of the three logs and 9 journal entries carry a user, an address or an outcome in filebeat's output.
    expect(results.length).toBeGreaterThanOrEqual(75);
    expect(rate).toBeGreaterThanOrEqual(0.99);
  });
});
