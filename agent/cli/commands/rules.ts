// agent/cli/commands/rules.ts: declares `sentra check` and `sentra rules`.
import type { Command } from 'commander';
import { DEFAULT_CONFIG_PATH } from '../../paths.js';
import { collect, format } from './shared.js';

export function registerRules(program: Command): void {
  program.command('check')
    .description('Validate the config (with its secret and TLS files), the rules and the overrides; exit non-zero with the reason if any is wrong.')
    .option('--config <file>', `config file to check (default: ${DEFAULT_CONFIG_PATH} when present, as the service uses it)`)
    .option('--overrides <file>', 'overrides file to check (default: the one the config names)')
    .option('--rules <dir>', 'an extra directory of rule files (repeatable)', collect)
    .addOption(format(['text', 'json']))
    .addHelpText('after', '\nExit codes: 0 all valid, 2 something is invalid or unreadable (the file, line and reason are printed).')
    .action(async (opts: { config?: string; overrides?: string; rules?: string[]; format: string }) => {
      process.exitCode = (await import('../check.js')).runCheck(opts);
    });

  program.command('rules')
    .description('List the intent rules with their ATT&CK, SOC 2 and ISO 27001 mappings.')
    .addOption(format(['text', 'json']))
    .option('--rules <dir>', 'an extra directory of rule files (repeatable)', collect)
    .action(async (opts: { format: string; rules?: string[] }) => {
      process.exitCode = (await import('../check.js')).runRules(opts);
    });
}
