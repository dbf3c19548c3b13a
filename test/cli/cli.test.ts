// The built `sentra` command, run as a user runs it: exit codes, formats, stdin, and error messages.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT as root, sentra } from '../helpers/cli.js';

const spray = join(root, 'test', 'fixtures', 'scenarios', 'spray-then-compromise', 'input.log');

describe('sentra', () => {
  it('prints help for every command and exits 0', () => {
    for (const args of [['--help'], ['scan', '--help'], ['overrides', 'check', '--help'], ['check', '--help'], ['rules', '--help']]) {
      const r = sentra(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/Usage: sentra/);
    }
  });

  it('exits 2 with a clear message for a missing file, a bad flag or a bad format', () => {
    const missing = sentra(['scan', '/nonexistent/auth.log']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/auth.log: cannot read');
    expect(sentra(['scan', '--bogus', spray]).code).toBe(2);
    const fmt = sentra(['scan', '--events', '--format', 'json', spray]);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain('--format must be one of text, jsonl with --events');
    expect(sentra(['scan', '--year', '26', spray]).stderr).toContain('four-digit year');
  });

  it('gives the same signal ids from a file and from standard input', () => {
    const fromFile = sentra(['scan', '--format', 'jsonl', '--year', '2026', '--timezone', 'UTC', spray]);
    const fromStdin = sentra(['scan', '--format', 'jsonl', '--year', '2026', '--timezone', 'UTC', '-'], readFileSync(spray, 'utf8'));
    expect(fromFile.code).toBe(0);
    const ids = (out: string): string[] => out.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids(fromStdin.stdout)).toEqual(ids(fromFile.stdout));
    expect(ids(fromFile.stdout).every((id) => /^[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(fromFile.stderr).toContain('lines read from 1 input');
  });

  it('gives the same output on a second run', () => {
    const a = sentra(['scan', '--format', 'jsonl', '--year', '2026', '--timezone', 'UTC', spray]);
    const b = sentra(['scan', '--format', 'jsonl', '--year', '2026', '--timezone', 'UTC', spray]);
    expect(b.stdout).toBe(a.stdout);
  });

  it('prints events as JSON lines with the contract fields and the source line', () => {
    const r = sentra(['scan', '--events', '--format', 'jsonl', '--year', '2026', '--timezone', 'UTC', spray]);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const accepted = events.find((e) => e.src_ip === '203.0.113.50' && e.outcome === 'success')!;
    expect(accepted).toMatchObject({ host: 'web-01', program: 'sshd', user: 'alice', intent: 'remote-access', ts: '2026-03-12T02:31:07.000Z' });
    expect(accepted.source).toMatch(/input\.log:\d+$/);
    for (const k of ['ts', 'host', 'program', 'pid', 'rule', 'intent', 'outcome', 'mitre', 'soc2', 'iso27001', 'source']) expect(accepted).toHaveProperty(k);
  });

  it('writes a readable text report: incidents first with their signals, then the rest grouped by band', () => {
    const r = sentra(['scan', '--year', '2026', '--timezone', 'UTC', spray]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^INCIDENTS \(1\)$/m);
    expect(r.stdout).toMatch(/^ {4}Timeline:$/m);
    // The signals of the incident are told under it, not again under their band.
    expect(r.stdout).not.toMatch(/^HIGH \(\d+\)$/m);
    expect(r.stdout).toMatch(/^INFO \(\d+\)$/m);
    expect(r.stdout).toContain('lines read from 1 input');
    const jsonl = sentra(['scan', '--year', '2026', '--timezone', 'UTC', '--format', 'jsonl', spray]).stdout.trim().split('\n')
      .map((l) => JSON.parse(l) as { kind: string; incident_id: string | null });
    const inc = sentra(['scan', '--year', '2026', '--timezone', 'UTC', '--incidents', '--format', 'json', spray]);
    const { incidents } = JSON.parse(inc.stdout) as { incidents: Array<{ id: string; signals: string[] }> };
    expect(incidents).toHaveLength(1);
    expect(jsonl.filter((s) => s.incident_id === incidents[0]!.id)).toHaveLength(incidents[0]!.signals.length);
    expect(jsonl.filter((s) => s.incident_id === null).length).toBeGreaterThan(0);
    const explained = sentra(['scan', '--year', '2026', '--timezone', 'UTC', '--explain', incidents[0]!.id, spray]);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain('(opened the incident)');
  }, 30_000);

  it('explains overrides for one signal, and exits 1 for an unknown id', () => {
    const week = join(root, 'test', 'fixtures', 'scenarios', 'benign-week', 'input.log');
    const base = ['scan', '--format', 'jsonl', '--year', '2026', '--timezone', 'UTC', '--overrides', 'overrides.json', week];
    const sup = sentra(base).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; suppressed: boolean }).find((s) => s.suppressed)!;
    const r = sentra(['scan', '--year', '2026', '--timezone', 'UTC', '--overrides', 'overrides.json', '--explain', sup.id, week]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('override patch-window: matches');
    expect(sentra(['scan', '--year', '2026', '--explain', '000000000000', spray]).code).toBe(1);
  });

  it('checks overrides files: 0 when valid, 2 with path and line when not', () => {
    expect(sentra(['overrides', 'check', 'overrides.json']).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'sentra-cli-'));
    const bad = join(dir, 'overrides.json');
    writeFileSync(bad, JSON.stringify({ version: 1, overrides: [{ id: 'x', reason: 'why not', action: 'mute', match: { user: 'a' } }] }, null, 2));
    const r = sentra(['overrides', 'check', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 7: /overrides/0/action: must be one of: suppress, resolve');
  });

  it('validates config, rules and overrides with `check`', () => {
    const r = sentra(['check', '--overrides', 'overrides.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: .* rules in \d+ files/);
    const dir = mkdtempSync(join(tmpdir(), 'sentra-cfg-'));
    writeFileSync(join(dir, 'config.yaml'), 'detection:\n  brute_forse: {}\n');
    const bad = sentra(['check', '--config', join(dir, 'config.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown field "brute_forse" [ERR_CONFIG_INVALID]');
  });
});

describe('several inputs', () => {
  it('reads files oldest first whatever the order given, so no window closes early', () => {
    const scen = join(root, 'test', 'fixtures', 'scenarios');
    const files = ['benign-week', 'distributed-guessing', 'root-login-at-night', 'spray-then-compromise'].map((n) => join(scen, n, 'input.log'));
    const r = sentra(['scan', '--format', 'jsonl', '--year', '2026', '--timezone', 'UTC', ...files]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('too late');
    const months = new Set(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { first_seen: string }).first_seen.slice(0, 7)));
    expect([...months].sort()).toEqual(['2026-02', '2026-03', '2026-04', '2026-11']);
  });
});

describe('pipes', () => {
  it('exits quietly when the reader closes the pipe early', () => {
    // Far more output than a pipe buffer holds, so the writer is still writing when head exits.
    const big = join(root, '..', 'shared', 'corpora', 'loghub', 'OpenSSH', 'OpenSSH_2k.log');
    const r = spawnSync('bash', ['-c', `node ${JSON.stringify(join(root, 'dist', 'agent', 'cli', 'main.js'))} scan --events --format jsonl --year 2017 ${JSON.stringify(big)} | head -1; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
