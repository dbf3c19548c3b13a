// The loghub samples: every auth-related line is recognised by some rule, and the OpenSSH sample (one day
// of a lab server under attack) becomes a handful of signals that name its heaviest attackers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../agent/match/load-rules.js';
import { Matcher } from '../../agent/match/match.js';
import { Parser } from '../../agent/parse/parse.js';
import { corpus } from '../helpers/corpora.js';
import { scanSignals } from '../helpers/run.js';

const matcher = new Matcher(loadRules().rules);
const AUTH_PROGRAMS = new Set(['sshd', 'sshd-session', 'sudo', 'su', 'login', 'unix_chkpwd', 'useradd', 'usermod', 'userdel',
  'groupadd', 'groupdel', 'gpasswd', 'passwd', 'chage', 'chsh', 'chfn', 'pkexec', 'polkitd', 'systemd-logind', 'CRON', 'crond']);

// Lines that are auth-related but deliberately not recognised, each with the reason.
const KNOWN_UNRECOGNISED: Array<{ pattern: RegExp; reason: string }> = [];

function unrecognised(file: string, year: number): { total: number; missed: string[] } {
  const parser = new Parser({ years: { kind: 'first', year }, timeZone: 'UTC' });
  const lines = readFileSync(file, 'utf8').split('\n');
  let total = 0;
  const missed: string[] = [];
  lines.forEach((text, i) => {
    const r = parser.parse({ text: text.replace(/\r$/, ''), file, lineNo: i + 1 });
    if (typeof r === 'string') return;
    const auth = AUTH_PROGRAMS.has(r.program) || r.message.includes('pam_');
    if (!auth) return;
    total++;
    if (matcher.classify(r.program, r.message)) return;
    if (KNOWN_UNRECOGNISED.some((k) => k.pattern.test(r.message))) return;
    missed.push(`${r.program}: ${r.message}`);
  });
  return { total, missed };
}

describe('loghub samples', () => {
  it.each([['OpenSSH/OpenSSH_2k.log', 2017], ['Linux/Linux_2k.log', 2005]])('%s: every auth line is recognised', (name, year) => {
    const { total, missed } = unrecognised(corpus('loghub', name), year);
    console.log(`${name}: ${total - missed.length}/${total} auth lines recognised`);
    expect(total).toBeGreaterThan(100);
    expect(missed).toEqual([]);
  });

  it('OpenSSH_2k becomes a handful of signals naming the heaviest attackers', async () => {
    const file = corpus('loghub', 'OpenSSH', 'OpenSSH_2k.log');
    const signals = await scanSignals([file], { year: '2017', timezone: 'UTC' });
    // An independent count of failed passwords per address, straight from the text.
    const perIp = new Map<string, number>();
    for (const m of readFileSync(file, 'utf8').matchAll(/Failed password for (?:invalid user )?.* from (\d+\.\d+\.\d+\.\d+) port/g)) {
      perIp.set(m[1]!, (perIp.get(m[1]!) ?? 0) + 1);
    }
    const heaviest = [...perIp].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([ip]) => ip);
    const named = new Set(signals.flatMap((s) => [s.entities.src_ip, ...(Array.isArray(s.entities.src_ips) ? s.entities.src_ips : [])]));
    console.log(`OpenSSH_2k: ${signals.length} signals; heaviest ${heaviest.join(', ')}`);
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.length).toBeLessThanOrEqual(8);
    for (const ip of heaviest) expect([...named]).toContain(ip);
  });
});
