// agent/cli/commands/doctor.ts: declares `sentra doctor`.
import type { Command } from 'commander';
import type { DoctorOptions } from '../doctor/run.js';
import { daemonOpts, format } from './shared.js';

export function registerDoctor(program: Command): void {
  daemonOpts(program.command('doctor')
    .description('Check what usually goes wrong on a host (access to logs and journal, groups, state directory, secrets, reachability, clock) and say how to fix it.'))
    .addOption(format(['text', 'json']))
    .option('--service-user <name>', 'the user the agent runs as', 'sentra')
    .option('--no-network', 'skip the reachability checks (ClickHouse, SMTP, webhooks)')
    .option('--bundle <file>', 'also write a support archive (zip) with findings, versions, config, status and the agent\'s log, secrets redacted')
    .addHelpText('after', '\nRun it as root (or as the service user) so it can see what the agent sees.'
      + '\nExit codes: 0 nothing failed (warnings may remain), 1 at least one check failed, 2 usage error.')
    .action(async (opts: DoctorOptions) => {
      process.exitCode = await (await import('../doctor/run.js')).runDoctor(opts);
    });
}
