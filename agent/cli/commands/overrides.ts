// agent/cli/commands/overrides.ts: declares `sentra overrides check` and `sentra overrides add`.
import type { Command } from 'commander';
import type { AddOptions } from '../overrides-add.js';
import { daemonOpts, format } from './shared.js';

export function registerOverrides(program: Command): void {
  const overrides = program.command('overrides').description('Work with overrides.json.');
  overrides.command('check')
    .description('Validate an overrides file and explain each problem with its JSON path and line.')
    .argument('[file]', 'the overrides file', '/etc/sentra/overrides.json')
    .addOption(format(['text', 'json']))
    .addHelpText('after', '\nExit codes: 0 valid, 2 invalid or unreadable.')
    .action(async (file: string, opts: { format: string }) => {
      process.exitCode = (await import('../overrides.js')).runOverridesCheck(file, opts.format);
    });

  daemonOpts(overrides.command('add')
    .description('Add an entry to overrides.json (validated before the file is replaced; its owner and mode are kept).'))
    .option('--file <file>', 'the overrides file (default: the one the config names)')
    .requiredOption('--id <id>', 'a short unique name, e.g. patch-window')
    .requiredOption('--reason <text>', 'why this activity is planned, e.g. a change ticket')
    .requiredOption('--reviewer <name>', 'who approved it')
    .option('--action <action>', 'suppress or resolve', 'suppress')
    .option('--from-signal <id>', 'match what this stored signal is: its kind, host, account and address')
    .option('--signal <id>', 'match exactly this signal id')
    .option('--kind <glob>', 'match signals of this kind').option('--rule <glob>', 'match signals from this rule')
    .option('--host <glob>', 'match this host').option('--user <glob>', 'match this account')
    .option('--src-ip <cidr>', 'match this source address or range').option('--command <glob>', 'match this command')
    .option('--cron <expr>', 'recurring window start, e.g. "0 1 * * 6"').option('--duration <d>', 'window length, e.g. 3h')
    .option('--timezone <zone>', 'zone of the cron window (default UTC)')
    .option('--from <when>', 'fixed window start (date or ISO time)').option('--to <when>', 'fixed window end')
    .option('--expires <date>', 'last day the override applies').option('--ticket <ref>', 'change ticket')
    .action(async (opts: AddOptions) => {
      process.exitCode = (await import('../overrides-add.js')).runOverridesAdd(opts);
    });
}
