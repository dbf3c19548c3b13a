import { describe, expect, it } from 'vitest';
import { literalPrefix, numberedGroups } from '../../agent/match/compile.js';

describe('literalPrefix', () => {
  it.each([
    ['^Failed password for (?<user>.*)', 'Failed password for '],
    ['^pam_unix\\(sshd:auth\\): authentication failure;', 'pam_unix(sshd:auth): authentication failure;'],
    ['^Accepted (?<m>\\S+)', 'Accepted '],
    ['^Invalid users? from', 'Invalid user'],
    ['^\\s*(?<user>\\S+) : TTY', ''],
    ['no anchor', ''],
    ['^abc|^def', ''],
    ['^(?:abc|def)x', ''],
    ['^ab[|]c(?:d|e)', 'ab'],
    ['^a{2}', ''],
  ])('%s → %j', (pattern, prefix) => {
    expect(literalPrefix(pattern)).toBe(prefix);
  });
});

describe('numberedGroups', () => {
  it('turns named groups into numbered ones and leaves the rest alone', () => {
    expect(numberedGroups('^a (?<user>\\S+) (?:x|y) ([0-9]+) [(?<]z (?<ip>[^ )]+)(?=$)'))
      .toEqual({ source: '^a (\\S+) (?:x|y) ([0-9]+) [(?<]z ([^ )]+)(?=$)', slots: ['user', '', 'ip'] });
  });

  it('captures exactly what the named pattern captures, for every rule', async () => {
    const { loadRules } = await import('../../agent/match/load-rules.js');
    for (const r of loadRules().rules) {
      for (const ex of r.spec.examples.match) {
        const named = r.regex.exec(ex.line)?.groups ?? {};
        const m = r.fast.exec(ex.line);
        const numbered: Record<string, string | undefined> = {};
        r.slots.forEach((name, i) => { if (name) numbered[name] = m?.[i + 1]; });
        expect(numbered, `${r.spec.id}: ${ex.line}`).toEqual({ ...named });
      }
    }
  });
});

describe('parsed-rules cache', () => {
  it('serves data only for the exact texts it was built from', async () => {
    const { cachedData, digestOf } = await import('../../agent/match/rule-cache.js');
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { bundledRulesDir } = await import('../../agent/paths.js');
    const dir = bundledRulesDir();
    const files = readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort().map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
    expect(cachedData(files)?.size).toBe(files.length);
    const edited = files.map((f, i) => (i === 0 ? { ...f, text: `${f.text}\n# edited\n` } : f));
    expect(digestOf(edited)).not.toBe(digestOf(files));
    expect(cachedData(edited)).toBeUndefined();
  });
});
