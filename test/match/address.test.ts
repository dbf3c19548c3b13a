// One address convention for every rule, applied after capture.
import { describe, expect, it } from 'vitest';
import { classifyAddress, normaliseAddresses, sourceOf } from '../../agent/match/address.js';
import { loadRules } from '../../agent/match/load-rules.js';
import { Matcher } from '../../agent/match/match.js';
import { compileRule, type RuleSpec } from '../../agent/match/compile.js';

describe('classifyAddress', () => {
  it.each([
    ['192.0.2.1', { ip: '192.0.2.1' }],
    ['::ffff:192.0.2.1', { ip: '192.0.2.1' }],
    ['::FFFF:198.51.100.7', { ip: '198.51.100.7' }],
    ['fe80::1%eth0', { ip: 'fe80::1' }],
    ['FE80::A:B%enp0s3', { ip: 'fe80::a:b' }],
    ['[2001:db8::5]', { ip: '2001:db8::5' }],
    ['2001:DB8::5', { ip: '2001:db8::5' }],
    ['::1', { ip: '::1' }],
    ['www.example.com', { host: 'www.example.com' }],
    ['Host.Example.COM.', { host: 'host.example.com' }],
    ['localhost', { host: 'localhost' }],
    ['999.1.1.1', { host: '999.1.1.1' }],
    ['UNKNOWN', null],
    ['?', null],
  ])('%s', (input, want) => {
    expect(classifyAddress(input)).toEqual(want);
  });
});

describe('normaliseAddresses', () => {
  it('moves a host name out of src_ip into src_host', () => {
    const f: Record<string, string> = { src_ip: 'scanner.example.net', user: 'root' };
    normaliseAddresses(f);
    expect(f).toEqual({ src_host: 'scanner.example.net', user: 'root' });
    expect(sourceOf(f)).toBe('scanner.example.net');
  });

  it('moves an address out of src_host into src_ip, and keeps an address already there', () => {
    const a: Record<string, string> = { src_host: '::ffff:203.0.113.4' };
    normaliseAddresses(a);
    expect(a).toEqual({ src_ip: '203.0.113.4' });
    const b: Record<string, string> = { src_ip: '203.0.113.4', src_host: 'gw.example.org' };
    normaliseAddresses(b);
    expect(b).toEqual({ src_ip: '203.0.113.4', src_host: 'gw.example.org' });
    expect(sourceOf(b)).toBe('203.0.113.4');
  });

  it('drops placeholders that name no peer', () => {
    const f: Record<string, string> = { src_ip: 'UNKNOWN', src_host: '?' };
    normaliseAddresses(f);
    expect(f).toEqual({});
  });
});

describe('the matcher applies it to whatever a rule captured', () => {
  // A rule that captures any word as the address, as a rule written for UseDNS hosts would.
  const spec: RuleSpec = { id: 't', title: 'test', description: 'a test rule', programs: ['sshd'], pattern: '^from (?<src_ip>\\S+)$',
    intent: 'credential-access', outcome: 'failure', severity: 'info', mitre: [], soc2: ['CC7.2'], iso27001: ['A.8.15'],
    examples: { match: [{ line: 'from x' }], no_match: ['x'] } };
  const m = new Matcher([compileRule(spec, 't.yaml', 0, new RegExp(spec.pattern))]);
  it.each([
    ['from ::ffff:198.51.100.23', { src_ip: '198.51.100.23' }],
    ['from fe80::2%eth0', { src_ip: 'fe80::2' }],
    ['from host-7.Example.net', { src_host: 'host-7.example.net' }],
    ['from UNKNOWN', {}],
  ])('%s', (line, fields) => {
    expect(m.classify('sshd', line)?.fields).toEqual(fields);
  });

  it('leaves the bundled rules\' IPv4-mapped captures as plain IPv4', () => {
    const real = new Matcher(loadRules().rules);
    expect(real.classify('sshd', 'Failed password for root from ::ffff:198.51.100.23 port 4022 ssh2')?.fields.src_ip).toBe('198.51.100.23');
  });
});
