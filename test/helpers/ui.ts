// test/helpers/ui.ts: a state directory for the investigation view: the scenario stories plus a host whose
// log carries hostile account names (markup, Slack mentions, a bidi override), and `sentra ui` over it.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScan } from '../../agent/cli/scan.js';
import { clockFrom, setClock } from '../../agent/clock.js';
import { loadToken } from '../../agent/ui/token.js';
import { makeConfig } from '../../agent/config/load.js';
import { askQuestion } from '../../agent/query/ask.js';
import { UiData } from '../../agent/ui/data.js';
import { startUi, type RunningUi } from '../../agent/ui/serve.js';
import { Capture } from './run.js';
import { scenarioStore } from './store.js';

export const HOSTILE_USER = '<script>alert(1)</script>';
export const MENTION_USER = '<!channel>';

/** The scenario store plus web-09's hostile lines (an account named like a script logs in after failures). */
export async function uiStore(): Promise<{ stateDir: string; dir: string }> {
  const { dir, config } = await scenarioStore();
  const lines: string[] = [];
  for (let i = 0; i < 12; i++) {
    lines.push(`Mar 14 09:${String(10 + i).padStart(2, '0')}:01 web-09 sshd[${4100 + i}]: Failed password for invalid user ${HOSTILE_USER} from 203.0.113.66 port ${40000 + i} ssh2`);
  }
  lines.push(`Mar 14 09:30:00 web-09 sshd[4200]: Accepted password for ${MENTION_USER} from 203.0.113.66 port 41000 ssh2`);
  lines.push(`Mar 14 09:31:00 web-09 sudo: ${MENTION_USER} : TTY=pts/0 ; PWD=/home/x ; USER=root ; COMMAND=/bin/sh -c "<img src=x onerror=alert(2)>"`);
  const file = join(dir, 'hostile.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const before = setClock(clockFrom(Date.parse('2026-03-15T09:00:00Z')));
  try {
    const code = await runScan([file], { format: 'jsonl', quiet: true, year: '2026', timezone: 'UTC', stateDir: config.state_dir }, new Capture());
    if (code !== 0) throw new Error(`scan exited ${code}`);
  } finally {
    setClock(before);
  }
  return { stateDir: config.state_dir, dir };
}

export async function startTestUi(stateDir: string): Promise<RunningUi & { token: string }> {
  const tokenFile = join(stateDir, 'ui.token');
  writeFileSync(tokenFile, 'test-token-0123456789-abcdefghijklmnop\n', { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  const ui = await startUi('127.0.0.1:0', {
    data: new UiData(stateDir, { retention_days: 4000, max_mb: 1024 }), token: loadToken(tokenFile), host: 'test-host',
    ask: (q) => askQuestion(q, { stateDir, config: makeConfig({ state_dir: stateDir }) }),
  });
  return { ...ui, token: 'test-token-0123456789-abcdefghijklmnop' };
}
