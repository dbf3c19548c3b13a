// Aggregation by source: a host name identifies a source like an address; no line that names a remote
// address loses it (probes and noise count toward its activity); a signal carries the rules and mappings
// of every line behind it, with password guessing told from spraying by the counts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION } from '../../agent/config/detection.js';
import { compileRule, type RuleSpec } from '../../agent/match/compile.js';
import { loadRules } from '../../agent/match/load-rules.js';
import type { Signal } from '../../agent/model.js';
import { EMPTY_OVERRIDES } from '../../agent/override/load.js';
import { Parser } from '../../agent/parse/parse.js';
import { Pipeline } from '../../agent/pipeline.js';

const bundled = loadRules();
// sshd with UseDNS writes a host name where the address goes. Until the bundled sshd rules capture those,
// two rules shaped like sshd-failed-password and sshd-accepted (host names only) stand in for them, ahead
// of the bundled rules; the aggregation under test is the same whichever rule captured the name.
const hostRule = (id: string, pattern: string, intent: RuleSpec['intent'], outcome: RuleSpec['outcome'], tags: string[], mitre: string[]): RuleSpec => ({
  id, title: id, description: 'host-name form of an sshd line', programs: ['sshd'], pattern, intent, outcome, severity: 'low', tags,
  mitre, soc2: ['CC6.1'], iso27001: ['A.8.5'], examples: { match: [{ line: 'x' }], no_match: ['y'] },
});
const extra = [
  hostRule('test-failed-password-host', '^Failed password for (?<user>\\S+) from (?<src_host>[A-Za-z][\\w.-]*) port (?<src_port>\\d+) ssh2$',
    'credential-access', 'failure', ['try'], ['T1110.001', 'T1021.004']),
  hostRule('test-accepted-host', '^Accepted password for (?<user>\\S+) from (?<src_ip>[A-Za-z][\\w.-]*) port (?<src_port>\\d+) ssh2$',
    'remote-access', 'success', [], ['T1078.003', 'T1021.004']),
].map((spec, i) => compileRule(spec, 'test.yaml', i, new RegExp(spec.pattern)));
const rules = { ...bundled, rules: [...extra, ...bundled.rules] };

function scan(lines: string[]): Signal[] {
  const p = new Pipeline({ rules, detection: DEFAULT_DETECTION, overrides: EMPTY_OVERRIDES });
  p.feed(lines.map((text, i) => ({ text, file: 'auth.log', lineNo: i + 1 })), new Parser({ years: { kind: 'first', year: 2026 }, timeZone: 'UTC' }));
  return p.flush();
}

const at = (sec: number): string => {
  const d = new Date(Date.UTC(2026, 2, 12, 1, 0, sec));
  const mon = 'Mar';
  return `${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
};
const kind = (xs: Signal[], k: string): Signal[] => xs.filter((s) => s.kind === k);

/** `n` failed passwords for `user` from `from`, one sshd process each. */
function failures(from: string, users: string[], perUser: number, t0 = 0, pid0 = 1000): string[] {
  const out: string[] = [];
  let i = 0;
  for (const u of users) for (let k = 0; k < perUser; k++, i++) {
    out.push(`${at(t0 + i)} web-01 sshd[${pid0 + i}]: Failed password for ${u} from ${from} port ${40000 + i} ssh2`);
  }
  return out;
}
const accepted = (from: string, user: string, sec: number, pid = 9000): string =>
  `${at(sec)} web-01 sshd[${pid}]: Accepted password for ${user} from ${from} port 50000 ssh2`;

describe('success after failures', () => {
  it('carries the rules and mappings of the failures behind it (password guessing: T1110.001)', () => {
    const out = scan([...failures('203.0.113.50', ['alice'], 8), accepted('203.0.113.50', 'alice', 100)]);
    const [s] = kind(out, 'ssh-success-after-failures');
    expect(s?.rules).toEqual(['sshd-accepted', 'sshd-failed-password']);
    expect(s?.mitre).toContain('T1110.001');
    expect(s?.mitre).not.toContain('T1110.003');
    expect(s?.mitre).toEqual(expect.arrayContaining(['T1021.004', 'T1078.003']));
  });

  it('labels many names tried a few times each as spraying (T1110.003), from the counts', () => {
    const out = scan([...failures('203.0.113.51', ['alice', 'bob', 'carol', 'dave', 'erin'], 2), accepted('203.0.113.51', 'alice', 100)]);
    const [s] = kind(out, 'ssh-success-after-failures');
    expect(s?.mitre).toContain('T1110.003');
    expect(s?.mitre).not.toContain('T1110.001');
    expect(s?.facts.distinct_users_tried).toBe(5);
  });

  it('is the same for a source known only by its host name', () => {
    const out = scan([...failures('gw-7.example.net', ['alice'], 6), accepted('gw-7.example.net', 'alice', 100)]);
    const [s] = kind(out, 'ssh-success-after-failures');
    expect(s?.entities).toMatchObject({ user: 'alice', src_host: 'gw-7.example.net' });
    expect(s?.entities.src_ip).toBeUndefined();
    expect(s?.facts.failures_before).toBe(6);
  });

  it('counts the probes and disconnects of the failing source as context, not as failures', () => {
    const ip = '203.0.113.52';
    const out = scan([
      ...failures(ip, ['alice'], 5),
      `${at(20)} web-01 sshd[7001]: Connection closed by ${ip} port 1 [preauth]`,
      `${at(21)} web-01 sshd[7002]: Received disconnect from ${ip} port 2:11: Bye Bye [preauth]`,
      `${at(22)} web-01 sshd[7003]: Received disconnect from ${ip} port 3:11: Bye Bye [preauth]`,
      accepted(ip, 'alice', 100),
    ]);
    const [s] = kind(out, 'ssh-success-after-failures');
    expect(s?.facts).toMatchObject({ failures_before: 5, probes_before: 1, other_lines_before: 2 });
  });
});

describe('background noise and per-source counts', () => {
  it('counts noise lines from a failing source in its signal, and noise alone raises none', () => {
    const ip = '198.51.100.9';
    const quiet = '192.0.2.200';
    const out = scan([
      ...failures(ip, ['root', 'admin'], 2),
      `${at(30)} web-01 sshd[7101]: Received disconnect from ${ip} port 5:11: Bye Bye [preauth]`,
      `${at(31)} web-01 sshd[7102]: Received disconnect from ${ip} port 6:11: Bye Bye [preauth]`,
      `${at(32)} web-01 sshd[7103]: Received disconnect from ${quiet} port 7:11: Bye Bye [preauth]`,
    ]);
    const [noise] = kind(out, 'ssh-background-noise');
    expect(noise?.facts).toMatchObject({ sources: 1, attempts: 4, other_lines: 2 });
    expect(noise?.facts.source_counts).toEqual([`${ip}: 4 attempts, 0 probes, 2 other lines`]);
    expect(noise?.count).toBe(6);
    expect(JSON.stringify(out)).not.toContain(quiet);
  });

  it('keeps host-name sources apart from addresses in lists', () => {
    const out = scan([...failures('scan.example.org', ['root'], 2), ...failures('198.51.100.10', ['root'], 2, 10, 2000)]);
    const [noise] = kind(out, 'ssh-background-noise');
    expect(noise?.entities.src_ips).toEqual(['198.51.100.10']);
    expect(noise?.entities.src_hosts).toEqual(['scan.example.org']);
  });

  it('labels a heavy spray from one source T1110.003 and a heavy guess at one name T1110.001', () => {
    const names = Array.from({ length: 600 }, (_, i) => `user${i}`);
    const spray = kind(scan(failures('203.0.113.60', names, 2)), 'ssh-brute-force')[0];
    expect(spray?.mitre).toContain('T1110.003');
    expect(spray?.mitre).not.toContain('T1110.001');
    const guess = kind(scan(failures('203.0.113.61', ['root'], 1200)), 'ssh-brute-force')[0];
    expect(guess?.mitre).toContain('T1110.001');
    expect(guess?.mitre).not.toContain('T1110.003');
  });
});
