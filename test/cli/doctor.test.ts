// `sentra doctor` on this machine, with the service user played by `nobody`: a log it cannot read fails with
// the fix, one it can read is ok, a state directory owned by someone else fails, an unreachable ClickHouse
// fails, and the support bundle holds what a maintainer needs with every secret masked.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeConfig } from '../helpers/agent.js';
import { sentra } from '../helpers/cli.js';

interface Finding { check: string; verdict: 'ok' | 'warn' | 'fail'; message: string; fix?: string }

const freePort = (): Promise<number> => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

function unzip(zip: string): Record<string, string> {
  const py = 'import sys,zipfile,json\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({n: z.read(n).decode("utf-8") for n in z.namelist()}))';
  return JSON.parse(execFileSync('python3', ['-c', py, zip], { encoding: 'utf8', maxBuffer: 1 << 26 })) as Record<string, string>;
}

describe('sentra doctor', () => {
  it('names what the service user cannot read, with the fix, and exits 1', async () => {
    const dir = tempDir('sentra-doctor-');
    // Directories a non-root user can enter, whatever the temp dir's own mode.
    chmodSync(dir, 0o755);
    const closed = join(dir, 'closed.log');
    const open = join(dir, 'open.log');
    writeFileSync(closed, 'x\n');
    writeFileSync(open, 'x\n');
    chmodSync(closed, 0o640);
    chmodSync(open, 0o644);
    mkdirSync(join(dir, 'state'), { mode: 0o700 });
    const config = writeConfig(dir, { sources: { mode: 'files', files: { paths: [closed, open] } } });
    const r = sentra(['doctor', '--config', config, '--service-user', 'nobody', '--no-network', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
    const logs = findings.filter((f) => f.check === 'logs');
    expect(logs.map((f) => f.verdict)).toEqual(['fail', 'ok']);
    expect(logs[0]!.message).toBe(`nobody cannot read ${closed} (mode 640, owner uid 0, group gid 0)`);
    expect(logs[0]!.fix).toContain(`chmod g+r ${closed}`);
    expect(findings.find((f) => f.check === 'state')).toMatchObject({ verdict: 'fail', fix: `chown -R nobody:nobody ${join(dir, 'state')}` });
    expect(findings.find((f) => f.check === 'config')).toMatchObject({ verdict: 'ok' });
    expect(findings.some((f) => f.check === 'disk')).toBe(true);
    expect(findings.some((f) => f.check === 'ui-token')).toBe(false);
    // A ui token others can read fails with the fix; one only its owner reads is fine.
    writeFileSync(join(dir, 'state', 'ui.token'), 'a-token-long-enough-for-sentra-ui\n', { mode: 0o644 });
    chmodSync(join(dir, 'state', 'ui.token'), 0o644);
    const open644 = (JSON.parse(sentra(['doctor', '--config', config, '--service-user', 'nobody', '--no-network', '--format', 'json']).stdout) as { findings: Finding[] })
      .findings.find((f) => f.check === 'ui-token');
    expect(open644).toMatchObject({ verdict: 'fail', fix: `chmod 600 ${join(dir, 'state', 'ui.token')}` });
    chmodSync(join(dir, 'state', 'ui.token'), 0o600);
    expect((JSON.parse(sentra(['doctor', '--config', config, '--service-user', 'nobody', '--no-network', '--format', 'json']).stdout) as { findings: Finding[] })
      .findings.find((f) => f.check === 'ui-token')).toMatchObject({ verdict: 'ok' });

    const text = sentra(['doctor', '--config', config, '--service-user', 'nobody', '--no-network']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^FAIL {2}logs {10}nobody cannot read /m);
    expect(text.stdout).toMatch(/\n\d+ failed, \d+ to look at, \d+ ok\n$/);
  });

  it('fails on a missing service user and on a config that does not load, without a stack trace', () => {
    const dir = tempDir('sentra-doctor-');
    const none = sentra(['doctor', '--state-dir', join(dir, 'state'), '--service-user', 'no-such-user-here', '--no-network', '--format', 'json']);
    expect(none.code).toBe(1);
    expect((JSON.parse(none.stdout) as { findings: Finding[] }).findings.find((f) => f.check === 'service user')?.verdict).toBe('fail');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'agent: { status_seconds: -1 }\n');
    const r = sentra(['doctor', '--config', bad, '--no-network']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}config .*status_seconds/);
    expect(r.stderr).toBe('');
  });

  it('finds an unreachable ClickHouse, and writes a support bundle with every secret masked', async () => {
    const dir = tempDir('sentra-doctor-');
    const secret = 'hunter2-correct-horse-battery';
    const pw = join(dir, 'ch.pw');
    writeFileSync(pw, `${secret}\n`);
    chmodSync(pw, 0o600);
    const port = await freePort(); // nothing listens there
    const config = writeConfig(dir, { clickhouse: { enabled: true, url: `http://sentra:url-pass-9876@127.0.0.1:${port}`, password_file: pw } });
    const zip = join(dir, 'support.zip');
    const r = sentra(['doctor', '--config', config, '--service-user', 'nobody', '--bundle', zip]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`FAIL {2}clickhouse {4}http://sentra:\\*\\*\\*@127\\.0\\.0\\.1:${port} cannot be reached \\(ECONNREFUSED\\)`));
    expect(r.stderr).toContain(`support bundle: ${zip}`);
    const files = unzip(zip);
    expect(Object.keys(files).sort()).toEqual(['sentra-support/README.txt', 'sentra-support/config-effective.json', 'sentra-support/config.yaml',
      'sentra-support/doctor.json', 'sentra-support/versions.txt'].concat(Object.keys(files).filter((n) => /journal|status|overrides/.test(n))).sort());
    const all = Object.values(files).join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toContain('url-pass-9876');
    expect(files['sentra-support/config.yaml']).toContain('http://sentra:***@127.0.0.1');
    expect(JSON.parse(files['sentra-support/doctor.json']!).findings.length).toBeGreaterThan(5);
    expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
  });
});
