// agent/cli/ui.ts: `sentra ui`: the investigation view over the local store, until SIGINT or SIGTERM.
import { jsonLogger } from '../daemon/log.js';
import { hostname } from 'node:os';
import { loadToken, uiTokenFile } from '../ui/token.js';
import { UiData } from '../ui/data.js';
import { startUi } from '../ui/serve.js';
import { UiFleet } from '../ui/fleet.js';
import { askQuestion } from '../query/ask.js';
import { resolveConfig, type DaemonOptions } from './daemon.js';
import { EXIT } from './exit.js';

export interface UiCommandOptions extends DaemonOptions {
  listen?: string;
  tokenFile?: string;
}

export async function runUi(opts: UiCommandOptions): Promise<number> {
  const cfg = resolveConfig(opts);
  const token = loadToken(opts.tokenFile ?? uiTokenFile(cfg));
  const log = jsonLogger(process.stderr, { level: cfg.log_level });
  const ui = await startUi(opts.listen ?? cfg.ui.listen, {
    data: new UiData(cfg.state_dir, cfg.store), token, host: cfg.host ?? hostname(), allowedHosts: cfg.ui.allowed_hosts, log,
    // The question box answers as `sentra ask` does: the local store, or ClickHouse when configured.
    ask: (q) => askQuestion(q, { stateDir: cfg.state_dir, config: cfg }),
    ...(cfg.clickhouse.enabled ? { fleet: new UiFleet(cfg) } : {}),
  });
  process.stderr.write(`sentra ui: serving ${cfg.state_dir} at ${ui.url}\n`
    + `sentra ui: the access token is in ${token.file}${token.created ? ' (created now, mode 0600)' : ''}; log in with it or send it as a bearer token\n`);
  if (!ui.loopback) {
    process.stderr.write('sentra ui: warning: not listening on loopback; anyone who reaches this port can try the token. '
      + 'An SSH tunnel to 127.0.0.1 is safer; the view answers only to the host names in ui.allowed_hosts.\n');
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => { ui.server.close(() => resolve()); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.OK;
}
