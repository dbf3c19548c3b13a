// agent/cli/commands/daemon.ts: declares `sentra agent`, `sentra status` and `sentra signals`.
import type { Command } from 'commander';
import { daemonOpts, format } from './shared.js';

export function registerDaemon(program: Command): void {
  daemonOpts(program.command('agent')
    .description('Run the agent: follow the journal or auth.log live and keep signals in the local store.'))
    .addHelpText('after', '\nSignals: SIGHUP reloads rules and overrides (a bad file is refused and the old one kept); SIGTERM stops cleanly.')
    .action(async (opts: { config?: string; stateDir?: string }) => {
      process.exitCode = await (await import('../daemon.js')).runAgent(opts);
    });

  daemonOpts(program.command('status')
    .description('Show what the running agent is doing: sources, lag, counts, signals today, overrides in force.'))
    .addOption(format(['text', 'json']))
    .addHelpText('after', '\nExit codes: 0 the agent is running and healthy, 1 it is not running, 2 usage or config error,'
      + ' 4 it is running but cannot store, checkpoint or read a source (the reason is printed).')
    .action(async (opts: { config?: string; stateDir?: string; format: string }) => {
      process.exitCode = (await import('../daemon.js')).runStatus(opts);
    });

  daemonOpts(program.command('signals')
    .description('List signals from the local store.'))
    .option('--since <when>', 'a duration back from now (7d, 24h) or a date', '7d')
    .option('--until <when>', 'a duration back from now or a date')
    .option('--band <band>', 'only this band and above: info, low, medium, high')
    .option('--host <name>', 'only this host')
    .addOption(format(['text', 'jsonl']))
    .action(async (opts: { config?: string; stateDir?: string; since: string; until?: string; band?: string; host?: string; format: string }) => {
      process.exitCode = (await import('../daemon.js')).runSignals(opts);
    });
}
