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
    .description('Check a bundle: every file against manifest.json, only regular files, nothing unlisted, and the Ed25519 signature of the manifest.')
    .argument('<file>', 'the zip')
    .option('--public-key <file>', 'the signing key\'s public half, obtained from the host (sentra audit-bundle key), to trust the signature')
    .option('--fingerprint <fp>', 'or the key\'s fingerprint (SHA256:…) obtained from the host')
    .addOption(format(['text', 'json']))
    .addHelpText('after', '\nExit codes: 0 intact (and signed by the key given, if one is), 1 it is not, 2 usage error or no such file.')
    .action(async (file: string, opts: { format: string; publicKey?: string; fingerprint?: string }) => {
      process.exitCode = await (await import('../audit.js')).runVerify(file, opts);
    });
  daemonOpts(bundle.command('key')
    .description('Print the public key and fingerprint that sign audit bundles; --create makes the key when there is none.'))
    .option('--create', 'create the Ed25519 key at audit.signing_key_file when it does not exist (the .deb does at install)')
    .addOption(format(['text', 'json']))
    .action(async (opts: { create?: boolean; format: string; config?: string; stateDir?: string }) => {
      process.exitCode = (await import('../audit.js')).runKey(opts);
    });
}
