// overrides.json and status.json checks a tired operator relies on: broken JSON names its line and
// ERR_OVERRIDES_FILE; impossible CIDRs and dates, six-field crons and duplicate keys are refused; a damaged
// status.json is reported by `sentra status`, never a crash.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOverrides, loadOverrides } from '../../agent/override/load.js';
import { tempDir } from '../helpers/agent.js';
import { ROOT, sentra } from '../helpers/cli.js';

const sample = JSON.parse(readFileSync(join(ROOT, 'overrides.json'), 'utf8')) as { overrides: Array<Record<string, any>> };
const variant = (edit: (o: Record<string, any>) => void): string => {
  const copy = structuredClone(sample);
  edit(copy.overrides[0]!);
  return JSON.stringify(copy, null, 2);
};

describe('strict overrides checks', () => {
  it.each([
    ['a CIDR with two prefixes', variant((o) => { o.match.src_ip = '10.0.0.0/8/8'; }), '/overrides/0/match/src_ip', 'is not an IP address or CIDR block'],
    ['a date that does not exist', variant((o) => { o.expires = '2026-02-30'; }), '/overrides/0/expires', 'is not a date'],
    ['a time that does not exist', variant((o) => { o.window = undefined; o.from = '2026-03-01T25:00:00Z'; o.to = '2026-03-02'; }), '/overrides/0/from', 'is not a date'],
    ['a six-field cron', variant((o) => { o.window.cron = '0 0 1 * * 6'; }), '/overrides/0/window/cron', 'has 6 fields; give 5'],
    ['a key given twice', '{ "version": 1, "version": 1, "overrides": [] }', '/', 'a key appears twice'],
  ])('refuses %s', (_what, text, path, message) => {
    const { problems, set } = checkOverrides(text, 'o.json');
    expect(set).toBeUndefined();
    expect(problems[0]).toMatchObject({ path });
    expect(problems[0]!.message).toContain(message);
    expect(problems[0]!.line).toBeGreaterThan(0);
  });

  it('names the line of broken JSON with ERR_OVERRIDES_FILE, in the library and on the command line', () => {
    const dir = tempDir('sentra-ov-');
    const file = join(dir, 'overrides.json');
    writeFileSync(file, '{\n  "version": 1,\n  "overrides": [\n    { "id": "x",\n  ]\n}\n');
    expect(() => loadOverrides(file)).toThrow(expect.objectContaining({ code: 'ERR_OVERRIDES_FILE' }));
    const r = sentra(['overrides', 'check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('1 problem [ERR_OVERRIDES_FILE]');
    expect(r.stderr).toMatch(/line 5: \/: not valid JSON/);
  });

  it('reports a damaged status.json instead of crashing', () => {
    const state = join(tempDir('sentra-st-'), 'state');
    mkdirSync(state);
    for (const text of ['{"pid": 1, "state": ', '[]', '{"pid": "x"}']) {
      writeFileSync(join(state, 'status.json'), text);
      const r = sentra(['status', '--state-dir', state]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/status\.json cannot be read \(.+\); the agent rewrites it/);
      expect(r.stderr).not.toContain('unexpected error');
    }
  });
});
