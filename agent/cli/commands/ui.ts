// agent/cli/commands/ui.ts: declares `sentra ui`.
import type { Command } from 'commander';
import type { UiCommandOptions } from '../ui.js';
import { daemonOpts } from './shared.js';

export function registerUi(program: Command): void {
  daemonOpts(program.command('ui')
    .description('Serve the investigation view (incidents, signals, accounts, addresses, decisions) on this host, loopback only by default.'))
    .option('--listen <host:port>', 'address to listen on (default: ui.listen in the config, 127.0.0.1:8443)')
    .option('--token-file <file>', 'the access token: read from FILE, or created there (mode 0600) when missing (default: ui.token_file, or ui.token in the state directory)')
    .addHelpText('after', '\nEvery request needs the token, as "Authorization: Bearer TOKEN" or through the login form\'s cookie.'
      + '\nFrom another machine: ssh -L 8443:127.0.0.1:8443 HOST, then open http://localhost:8443/.'
      + '\nExit codes: 0 stopped by SIGINT or SIGTERM, 2 usage, config or token error (or the address is taken).')
    .action(async (opts: UiCommandOptions) => {
      process.exitCode = await (await import('../ui.js')).runUi(opts);
    });
}
