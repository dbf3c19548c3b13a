// Man pages and shell completion come from the CLI's own command tree: every command has a page that groff
// reads without a warning, every option appears on its command's page, and bash completes subcommands,
// options and fixed choices as a user would see them. zsh's script must at least parse.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../agent/cli/program.js';
import { manPages } from '../../agent/cli/docs/manpage.js';
import { describeCommand, flatten } from '../../agent/cli/docs/tree.js';
import { sentra } from '../helpers/cli.js';

const doc = describeCommand(buildProgram());

describe('man pages', () => {
  const pages = manPages(doc, '0.1.0', '2026-12-01');

  it('has one page per command, and each names every option of its command', () => {
    const all = flatten(doc);
    expect([...pages.keys()].sort()).toEqual(all.map((d) => `${['sentra', ...d.path].join('-')}.1`).sort());
    expect(pages.has('sentra-report-weekly.1')).toBe(true);
    for (const d of all) {
      const page = pages.get(`${['sentra', ...d.path].join('-')}.1`)!;
      for (const o of d.options) expect(page, `${d.path.join(' ')} ${o.flags}`).toContain(o.long!.replace(/-/g, '\\-'));
    }
  });

  it('renders with groff without a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentra-man-'));
    for (const [name, text] of pages) {
      writeFileSync(join(dir, name), text);
      const r = spawnSync('groff', ['-man', '-ww', '-z', join(dir, name)], { encoding: 'utf8' });
      expect(r.stderr, name).toBe('');
      expect(r.status).toBe(0);
    }
    const scan = spawnSync('groff', ['-man', '-Tutf8', join(dir, 'sentra-scan.1')], { encoding: 'utf8' }).stdout.replace(/.\x08/g, '');
    expect(scan).toMatch(/SYNOPSIS\s+sentra scan \[options\] <files\.\.\.>/);
    expect(scan).toContain('--timezone <zone>');
  });
});

describe('shell completion', () => {
  const script = join(mkdtempSync(join(tmpdir(), 'sentra-comp-')), 'sentra.bash');
  const bash = sentra(['completion', 'bash']);
  writeFileSync(script, bash.stdout);
  const complete = (words: string[]): string[] => {
    const r = spawnSync('bash', ['-c', `source ${script}; cd /nonexistent 2>/dev/null; COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _sentra; printf '%s\\n' "\${COMPREPLY[@]}"`,
      'x', 'sentra', ...words], { encoding: 'utf8', cwd: tmpdir() });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean).sort();
  };

  it('completes subcommands, options and fixed choices in bash', () => {
    expect(bash.code).toBe(0);
    expect(complete(['rep'])).toEqual(['report']);
    expect(complete(['report', ''])).toEqual(['fleet', 'weekly']);
    expect(complete(['report', 'weekly', '--we'])).toEqual(['--week']);
    expect(complete(['scan', '--format', ''])).toEqual(['json', 'jsonl', 'text']);
    expect(complete(['decide', 'abc', '--status', ''])).toEqual(['escalated', 'false-positive', 'resolved', 'reviewed']);
    // An option's value is not mistaken for a subcommand.
    expect(complete(['audit-bundle', '--out', 'verify', 've'])).toEqual(['verify']);
  });

  it('prints a zsh script that parses, and refuses other shells with a usage error', () => {
    const zsh = sentra(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout.startsWith('#compdef sentra\n')).toBe(true);
    for (const d of flatten(doc)) expect(zsh.stdout).toContain(`_sentra_${d.path.join('_').replace(/-/g, '_') || 'root'}() {`);
    const parsed = spawnSync('zsh', ['-n'], { input: zsh.stdout, encoding: 'utf8' });
    expect(parsed.stderr).toBe('');
    expect(parsed.status).toBe(0);
    const fish = sentra(['completion', 'fish']);
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain('bash or zsh');
  });
});
