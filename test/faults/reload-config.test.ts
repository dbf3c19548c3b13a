// SIGHUP reads config.yaml again: a broken file is refused with the reason while the last good config stays in
// force (log and status say so); a valid one applies what can change live (rules_dirs, overrides, log_level)
// and names the rest as waiting for a restart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { readStatus } from '../../agent/daemon/status.js';
import { startAgent, tempDir, type AgentRun } from '../helpers/agent.js';
import { sentra } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const running: AgentRun[] = [];
afterEach(() => { for (const a of running.splice(0)) a.child.kill('SIGKILL'); });

const EXTRA_RULE = `description: a local rule
rules:
  - id: local-backup-login
    title: Backup account login
    description: The backup account logged in.
    programs: [sshd]
    pattern: '^Accepted publickey for backup from (?<src_ip>\\S+) port (?<src_port>\\d+)'
    intent: remote-access
    outcome: success
    severity: low
    mitre: [T1078]
    soc2: [CC6.1]
    iso27001: [A.8.5]
    examples:
      match:
        - line: 'Accepted publickey for backup from 192.0.2.1 port 22 ssh2'
          program: sshd
          fields: { src_ip: 192.0.2.1, src_port: '22' }
      no_match:
        - 'Accepted publickey for root from 192.0.2.1 port 22 ssh2'
`;

describe('SIGHUP and config.yaml', () => {
  it('refuses a broken config, applies rules_dirs now, and names what waits for a restart', async () => {
    const dir = tempDir('sentra-hup-');
    const log = join(dir, 'auth.log');
    writeFileSync(log, '2026-03-01T10:00:00.000000+00:00 web-01 sshd[1]: Failed password for root from 203.0.113.9 port 22 ssh2\n');
    const state = join(dir, 'state');
    const base = { state_dir: state, timezone: 'UTC', sources: { mode: 'files', files: { paths: [log], poll_ms: 50 } }, agent: { checkpoint_seconds: 1, status_seconds: 1 } };
    const config = join(dir, 'config.yaml');
    writeFileSync(config, stringify(base));
    const agent = startAgent(config);
    running.push(agent);
    const status = () => { try { return readStatus(state); } catch { return undefined; } };
    await waitFor(() => status()?.state === 'running', 'the agent', 30_000);
    const rulesBefore = status()!.rules.count;

    writeFileSync(config, 'sources: { mode: sideways }\n');
    agent.child.kill('SIGHUP');
    await waitFor(() => (status()?.warnings ?? []).some((w) => w.startsWith('config.yaml refused')), 'the refusal in status', 30_000);
    expect(agent.output()).toMatch(/"level":"error","msg":"config\.yaml refused, the last good one stays in force: .*sources\/mode/);

    const rulesDir = join(dir, 'rules.d');
    mkdirSync(rulesDir);
    writeFileSync(join(rulesDir, 'local.yaml'), EXTRA_RULE);
    writeFileSync(config, stringify({ ...base, rules_dirs: [rulesDir], notify: { enabled: false, cooldown_minutes: 999 } }));
    agent.child.kill('SIGHUP');
    await waitFor(() => status()?.rules.count === rulesBefore + 1, 'the new rules', 30_000);
    expect(agent.output()).toContain('config.yaml reloaded: rules_dirs applied now; changes to notify take effect at the next restart (systemctl restart sentra)');
    await waitFor(() => (status()?.warnings ?? []).some((w) => w === 'config.yaml changed notify: takes effect at the next restart'), 'the restart note', 30_000);
    expect((status()?.warnings ?? []).some((w) => w.startsWith('config.yaml refused'))).toBe(false);
    expect(sentra(['status', '--state-dir', state]).code).toBe(0);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  }, 90_000);
});
