// agent/cli/commands/incidents.ts: declares `sentra incidents`.
import type { Command } from 'commander';
import type { IncidentsOptions } from '../incidents.js';
import { daemonOpts, format } from './shared.js';

export function registerIncidents(program: Command): void {
  daemonOpts(program.command('incidents')
    .description('List incidents (signals linked into one story each) from the local store.'))
    .option('--since <when>', 'a duration back from now (7d, 24h) or a date', '7d')
    .option('--until <when>', 'a duration back from now or a date')
    .option('--band <band>', 'only this band and above: info, low, medium, high')
    .option('--host <name>', 'only incidents on this host')
    .option('--explain <id>', 'show one incident with every link between its signals and the reason for it')
    .addOption(format(['text', 'json', 'jsonl']))
    .addHelpText('after', '\nExit codes: 0 success, 1 --explain found no such incident, 2 usage or config error.')
    .action(async (opts: IncidentsOptions) => {
      process.exitCode = (await import('../incidents.js')).runIncidents(opts);
    });
}
