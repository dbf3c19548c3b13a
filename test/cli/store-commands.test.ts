// Every command that reads or writes the local store works with --state-dir alone (no config file), read
// commands leave the state directory exactly as they found it, and writing commands run as root keep the
// owner and mode of what they change. Also: errors that are the user's, not Sentra's, are one line and a code.
import { chownSync, chmodSync, existsSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/agent.js';
import { ROOT, sentra } from '../helpers/cli.js';
import { scenarioStore } from '../helpers/store.js';

let stateDir = '';
let someId = '';

beforeAll(async () => {
  const { config } = await scenarioStore();
  stateDir = config.state_dir;
  const r = sentra(['signals', '--state-dir', stateDir, '--since', '2000-01-01', '--format', 'jsonl']);
  someId = (JSON.parse(r.stdout.split('\n')[0]!) as { id: string }).id;
}, 60_000);

/** Every entry under `dir` with its owner and mode: what "left alone" is checked against. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      out.push(`${p.slice(dir.length)} ${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)} ${st.isDirectory() ? '' : st.size}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe('store commands with --state-dir and no config', () => {
  const out = (): string => tempDir('sentra-out-');
  const cases: Array<[string, () => string[]]> = [
    ['signals', () => ['signals', '--state-dir', stateDir, '--since', '2000-01-01']],
    ['report weekly', () => ['report', 'weekly', '--state-dir', stateDir, '--week', '2026-W11', '--format', 'text']],
    ['audit-bundle', () => ['audit-bundle', '--state-dir', stateDir, '--from', '2026-03-01', '--to', '2026-03-31', '--out', out()]],
    ['decide', () => ['decide', someId, '--state-dir', stateDir, '--status', 'reviewed', '--by', 'maria']],
    ['overrides add', () => ['overrides', 'add', '--state-dir', stateDir, '--file', join(out(), 'o.json'), '--id', 'x', '--reason', 'Planned CHG-9',
      '--reviewer', 'maria', '--from-signal', someId]],
  ];
  for (const [name, args] of cases) {
    it(`${name} works`, () => {
      const r = sentra(args());
      expect(r.stderr).not.toContain('ERR_CONFIG');
      expect(r.code, r.stderr).toBe(0);
    });
  }

  it('status says the agent has not run there (exit 1), not a config error', () => {
    const r = sentra(['status', '--state-dir', stateDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has not run');
  });

  it('an invalid --state-dir is refused like the config key, with the flag named', () => {
    const r = sentra(['signals', '--state-dir', '']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--state-dir: \/state_dir: .*\[ERR_CONFIG_INVALID\]/);
  });
});

describe('read commands create nothing', () => {
  it('signals, report, status and audit-bundle leave a missing state directory missing', () => {
    const dir = join(tempDir('sentra-missing-'), 'state');
    const bundle = join(tempDir('sentra-out-'), 'b.zip');
    for (const args of [['signals'], ['report', 'weekly', '--format', 'text'], ['status'], ['audit-bundle', '--out', bundle]]) {
      const r = sentra([...args, '--state-dir', dir]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBeLessThanOrEqual(1);
      expect(existsSync(dir), args.join(' ')).toBe(false);
    }
  });

  it('leave an existing state directory exactly as it was', () => {
    const before = listing(stateDir);
    for (const args of [['signals', '--since', '2000-01-01'], ['report', 'weekly', '--week', '2026-W11'], ['status']]) sentra([...args, '--state-dir', stateDir]);
    expect(listing(stateDir)).toEqual(before);
  });
});

describe('writing commands as root keep owners and modes', () => {
  const root = process.getuid?.() === 0;
  // Ownership can only be given away by root; scripts/test.sh and CI run as root.
  it('decide writes decisions.jsonl owned like the state directory; overrides add keeps the file\'s owner and mode', async () => {
    expect(root, 'these checks need root (chown)').toBe(true);
    const { config } = await scenarioStore();
    const dir = config.state_dir;
    const [uid, gid] = [4242, 4343]; // a service user that is not root
    chownSync(dir, uid, gid);
    const id = (JSON.parse(sentra(['signals', '--state-dir', dir, '--since', '2000-01-01', '--format', 'jsonl']).stdout.split('\n')[0]!) as { id: string }).id;
    expect(sentra(['decide', id, '--state-dir', dir, '--status', 'escalated', '--by', 'maria']).code).toBe(0);
    const d = statSync(join(dir, 'decisions.jsonl'));
    expect([d.uid, d.gid, d.mode & 0o777]).toEqual([uid, gid, 0o640]);

    const etc = tempDir('sentra-etc-');
    const file = join(etc, 'overrides.json');
    writeFileSync(file, '{ "version": 1, "overrides": [] }\n');
    chownSync(file, 0, gid);
    chmodSync(file, 0o640);
    const r = sentra(['overrides', 'add', '--state-dir', dir, '--file', file, '--id', 'backup', '--reason', 'CHG-1', '--reviewer', 'maria', '--user', 'backup']);
    expect(r.code, r.stderr).toBe(0);
    const o = statSync(file);
    expect([o.uid, o.gid, o.mode & 0o777]).toEqual([0, gid, 0o640]);
  }, 60_000);

  it('decide never follows a link planted in the state directory', async () => {
    const { config } = await scenarioStore();
    const dir = config.state_dir;
    const target = join(tempDir('sentra-target-'), 'precious');
    writeFileSync(target, 'untouched\n');
    symlinkSync(target, join(dir, 'decisions.jsonl'));
    const id = (JSON.parse(sentra(['signals', '--state-dir', dir, '--since', '2000-01-01', '--format', 'jsonl']).stdout.split('\n')[0]!) as { id: string }).id;
    const r = sentra(['decide', id, '--state-dir', dir, '--status', 'reviewed', '--by', 'maria']);
    expect(r.code).not.toBe(0);
    expect(statSync(target).size).toBe('untouched\n'.length);
  }, 60_000);
});

describe('user errors are one line with a code', () => {
  const spray = join(ROOT, 'test', 'fixtures', 'scenarios', 'spray-then-compromise', 'input.log');

  it('scan --timezone with an unknown zone: exit 2, no stack trace', () => {
    const r = sentra(['scan', '--timezone', 'Mars/Olympus', spray]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/Mars\/Olympus.*\[ERR_USAGE\]/);
  });

  it('a SENTRA_NOW that is not a time: exit 2, naming the variable', () => {
    const r = sentra(['signals', '--state-dir', stateDir], undefined, { SENTRA_NOW: 'tuesday' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SENTRA_NOW');
  });

  describe('report weekly --send to a server that refuses', () => {
    let server: SMTPServer;
    let port = 0;
    beforeAll(async () => {
      // A real SMTP server that refuses every message.
      server = new SMTPServer({
        secure: false, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
        onData(stream, _session, cb) {
          stream.resume();
          stream.on('end', () => cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 })));
        },
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      port = (server.server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('exits 1 with one line and ERR_EMAIL_SEND, and records nothing as sent', () => {
      const dir = tempDir('sentra-send-');
      const cfg = join(dir, 'config.json');
      writeFileSync(cfg, JSON.stringify({ state_dir: stateDir, email: { enabled: true, host: '127.0.0.1', port, security: 'none',
        from: 'sentra@example.test', to: ['ops@example.test'] } }));
      const r = sentra(['report', 'weekly', '--config', cfg, '--week', '2026-W11', '--send']);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('[ERR_EMAIL_SEND]');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(stateDir, 'reports-sent.jsonl'))).toBe(false);
    }, 60_000);
  });
});
