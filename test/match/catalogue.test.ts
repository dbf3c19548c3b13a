// The catalogue of upstream log calls (rules/catalogue/*.yaml): every template is valid, has a rule or a
// written reason, and is recognised by the real parser and matcher on the auth.log path and on the journal
// JSON path alike; per family the coverage meets the bar, and the README shows the current table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../agent/match/load-rules.js';
import { Matcher } from '../../agent/match/match.js';
import { packageRoot } from '../../agent/paths.js';
import { coverage, coverageTable, Judge, loadCatalogue } from '../../scripts/catalogue.js';

const files = loadCatalogue();
const rules = loadRules();
const judge = new Judge(new Matcher(rules.rules));
const ids = new Set(rules.rules.map((r) => r.spec.id));
const rows = coverage(files, judge);
// A remote address in an example: dotted quad (not the wildcard a daemon listens on) or IPv6 (with `::`, or all
// eight groups, so a time of day is not one).
const ADDRESS = /(?:^|[\s\[(<'`=:@])(?:(?!0\.0\.0\.0)\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*::[0-9a-f:]*[0-9a-f]|[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7})(?=$|[\s\])>',:%/])/i;

describe('rule catalogue', () => {
  it('covers the program families the issue names, each from its upstream source', () => {
    expect(files.map((f) => f.family).sort()).toEqual(
      ['dropbear', 'openssh', 'pam', 'polkit', 'shadow', 'sudo', 'systemd', 'util-linux']);
    for (const f of files) expect(f.templates.length, f.family).toBeGreaterThanOrEqual(10);
  });

  it('gives every template a unique id within its family, and a rule that exists or a written noise reason', () => {
    for (const f of files) {
      const seen = new Set<string>();
      for (const t of f.templates) {
        expect(seen.has(t.id), `${f.family}/${t.id} twice`).toBe(false);
        seen.add(t.id);
        expect(t.rule !== undefined || (t.noise_reason ?? '').length >= 10, `${f.family}/${t.id}`).toBe(true);
        if (t.rule !== undefined) expect(ids.has(t.rule), `${f.family}/${t.id}: rule ${t.rule} does not exist`).toBe(true);
      }
    }
  });

  it('names a rule that keeps the address for every example that names a remote address', () => {
    for (const f of files) {
      for (const t of f.templates) {
        if (!ADDRESS.test(t.example)) continue;
        expect(t.rule, `${f.family}/${t.id} names an address but no rule`).toBeDefined();
        const e = t.expect!.fields ?? {};
        expect(e.src_ip ?? e.src_host, `${f.family}/${t.id} expects no src_ip/src_host`).toBeDefined();
      }
    }
  });

  it('refuses a catalogue file that breaks the schema, naming the file', () => {
    expect(() => loadCatalogue(join(packageRoot(), 'test', 'fixtures', 'catalogue-bad'))).toThrow(/bad\.yaml/);
  });

  it('judges a wrong expectation as not recognised (the judge can fail)', () => {
    const t = files.find((f) => f.family === 'openssh')!.templates.find((x) => x.id === 'auth-log-failed-password')!;
    expect(judge.judge(t, 'text').ok).toBe(true);
    expect(judge.judge({ ...t, rule: 'sshd-accepted' }, 'text').ok).toBe(false);
    expect(judge.judge({ ...t, expect: { ...t.expect!, fields: { user: 'admin' } } }, 'journal').ok).toBe(false);
    expect(judge.judge({ ...t, rule: undefined, expect: undefined, noise_reason: 'not really noise at all' }, 'text').ok).toBe(false);
  });

  for (const r of rows) {
    it(`${r.family}: ≥ 98% of default-configuration templates and ≥ 90% of all, on text and journal`, () => {
      const detail = r.failures.map((f) => `${f.template.id} [${f.path}]: ${f.problem}`).join('\n');
      for (const path of ['text', 'journal'] as const) {
        if (r.defaults > 0) expect(r[path].default / r.defaults, `${path} default\n${detail}`).toBeGreaterThanOrEqual(0.98);
        expect(r[path].all / r.templates, `${path} all\n${detail}`).toBeGreaterThanOrEqual(0.9);
      }
    });
  }

  it('is shown in the README as it stands today', () => {
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    expect(readme).toContain(coverageTable(rows));
  });
});

describe('catalogued templates', () => {
  for (const f of files) {
    for (const t of f.templates) {
      it(`${f.family}/${t.id} on both paths`, () => {
        for (const path of ['text', 'journal'] as const) {
          const v = judge.judge(t, path);
          expect(v.ok, `${path}: ${v.problem}`).toBe(true);
        }
      });
    }
  }
});
