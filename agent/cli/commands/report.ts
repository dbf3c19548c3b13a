// agent/cli/commands/report.ts: declares `sentra report weekly`, `sentra report fleet` and `sentra decide`.
import type { Command } from 'commander';
import type { FleetOptions } from '../fleet.js';
import type { WeeklyOptions } from '../report.js';
import { daemonOpts, format } from './shared.js';

export function registerReport(program: Command): void {
  const report = program.command('report').description('Reports built from the local store.');
  daemonOpts(report.command('weekly')
    .description('The weekly summary: what needs action, activity, maintenance, decisions, compliance evidence, handover notes.'))
    .option('--week <week>', 'an ISO week such as 2026-W46 (default: the last complete week)')
    .option('--from <date>', 'first day (UTC), with --to')
    .option('--to <date>', 'last day (UTC), included')
    .addOption(format(['html', 'text', 'md', 'json']))
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--host <name>', 'only this host')
    .option('--send', 'email the report now (to the recipients in the config) instead of printing it')
    .option('--force', 'with --send: send a week that was sent before again')
    .addHelpText('after', '\nExit codes: 0 written or sent, 1 the email could not be sent (or the week was sent before: --force), 2 usage or config error.')
    .action(async (opts: WeeklyOptions) => {
      process.exitCode = await (await import('../report.js')).runWeekly(opts);
    });

  daemonOpts(report.command('fleet')
    .description('The fleet report from ClickHouse: hosts by risk, what needs action, shared addresses, playbooks, tenants.'))
    .option('--since <when>', 'a duration back from --until (7d, 24h) or a date', '7d')
    .option('--until <when>', 'end of the period: a date or ISO time (default: now)')
    .option('--silent-after <duration>', 'list agents whose last heartbeat is older than this', '15m')
    .option('--tenant <name>', 'only this tenant')
    .addOption(format(['html', 'text', 'md', 'json']))
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (opts: FleetOptions) => {
      process.exitCode = await (await import('../fleet.js')).runFleet(opts);
    });

  daemonOpts(program.command('decide')
    .description('Record an analyst decision on a signal (append-only; shown in reports and audit bundles).'))
    .argument('<signal-id>', 'the 12-hex id of the signal')
    .requiredOption('--status <status>', 'reviewed, resolved, false-positive or escalated')
    .requiredOption('--by <name>', 'who decided')
    .option('--note <text>', 'why', '')
    .option('--force', 'record it even if the signal is not in the local store')
    .action(async (id: string, opts: { status: string; by: string; note: string; force?: boolean; config?: string; stateDir?: string }) => {
      process.exitCode = (await import('../report.js')).runDecide(id, opts);
    });
}
