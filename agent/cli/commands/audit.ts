// agent/cli/commands/audit.ts: declares `sentra audit-bundle` and `sentra audit-bundle verify`.
import type { Command } from 'commander';
import { daemonOpts, format } from './shared.js';

export function registerAudit(program: Command): void {
  const bundle = daemonOpts(program.command('audit-bundle')
    .description('Write a zip of audit evidence: weekly reports, signals, evidence lines, decisions, overrides and their history, rules, controls.csv, manifest.json.'))
    .option('--from <date>', 'first day (UTC), with --to (default: the 90 days before today)')
    .option('--to <date>', 'last day (UTC), included')
    .option('--out <path>', 'a file name, or a directory for sentra-audit-<host>-<from>-<to>-<timestamp>.zip')
    .option('--host <name>', 'only this host')
    .addOption(format(['text', 'json']))
    .action(async (opts: { from?: string; to?: string; out?: string; host?: string; format: string; config?: string; stateDir?: string }) => {
      process.exitCode = await (await import('../audit.js')).runBundle(opts);
    });
  bundle.command('verify')
    .description('Recompute the SHA-256 of every file in a bundle and report any that is missing, extra or altered.')
    .argument('<file>', 'the zip')
    .addOption(format(['text', 'json']))
    .addHelpText('after', '\nExit codes: 0 intact, 1 it does not match its manifest, 2 usage error.')
    .action(async (file: string, opts: { format: string }) => {
      process.exitCode = await (await import('../audit.js')).runVerify(file, opts.format);
    });
}
