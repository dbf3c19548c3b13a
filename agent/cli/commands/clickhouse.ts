// agent/cli/commands/clickhouse.ts: declares `sentra clickhouse intake`.
import type { Command } from 'commander';
import type { IntakeOptions } from '../clickhouse-intake.js';
import { daemonOpts, format } from './shared.js';

export function registerClickHouse(program: Command): void {
  const ch = program.command('clickhouse').description('Administering the ClickHouse tables Sentra writes.');
  daemonOpts(ch.command('intake')
    .description('A tenant\'s intake database: Null tables whose views write rows into the shared tables as that tenant.'))
    .option('--tenant <name>', 'the tenant (default: clickhouse.tenant in the config)')
    .option('--user <name>', 'the tenant\'s writer, for the rights printed (default: sentra_<tenant>)')
    .option('--reader <name>', 'the fleet report\'s read-only user, for the rights printed', 'sentra_report')
    .option('--apply', 'migrate the shared tables and create the intake on the configured server (its user needs DDL rights) instead of only printing')
    .addOption(format(['text', 'json']))
    .addHelpText('after', '\nRe-run it after an upgrade that adds a migration: it drops and re-creates the intake tables and views.'
      + '\nExit codes: 0 printed or applied, 1 ClickHouse unreachable or refused a statement, 2 usage or config error.')
    .action(async (opts: IntakeOptions) => {
      process.exitCode = await (await import('../clickhouse-intake.js')).runIntake(opts);
    });
}
