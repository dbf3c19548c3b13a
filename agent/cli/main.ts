#!/usr/bin/env node
// agent/cli/main.ts: the `sentra` command. Parses arguments, runs one subcommand, exits with its code.
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_CONFIG_PATH, packageVersion } from '../paths.js';
import { EXIT, reportError } from './exit.js';
import type { ScanOptions } from './scan.js';
import type { WeeklyOptions } from './report.js';
import type { AddOptions } from './overrides-add.js';

// Each command loads its own code when it runs: the agent need not carry the report, mail, AI and zip
// libraries in memory, and `--help` starts fast.

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const format = (choices: string[], def = 'text'): Option =>
  new Option('--format <format>', `output format: ${choices.join(', ')}`).default(def);

const daemonOpts = (c: Command): Command => c
  .option('--config <file>', `config file (default: ${DEFAULT_CONFIG_PATH} when present)`)
  .option('--state-dir <dir>', 'state directory (default: from the config, /var/lib/sentra)');

function build(): Command {
  const program = new Command('sentra')
    .description('Security signals from Linux authentication logs: calm, explainable, risk-scored.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    // Options belong to the command they follow: `audit-bundle --format json` and `audit-bundle verify F --format json` differ.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (s, write) => write(s) });

  program.command('scan')
    .description('Read log files (auth.log, rotated .gz, journalctl -o json, or - for stdin) and print signals or events.')
    .argument('<files...>', 'log files to read; - reads standard input')
    .option('--events', 'print one normalised event per recognised line instead of signals')
    .addOption(format(['text', 'json', 'jsonl']))
    .option('--overrides <file>', 'overrides.json that marks planned activity')
    .option('--year <yyyy>', 'year of the first line of each file, for timestamps without one (default: from each file\'s modification time)')
    .option('--host <name>', 'use this host name for every line')
    .option('--timezone <zone>', 'IANA zone of timestamps that carry none (default: this machine\'s zone)')
    .option('--config <file>', 'config file (YAML or JSON) with detection thresholds')
    .option('--rules <dir>', 'an extra directory of rule files (repeatable)', collect)
    .option('--explain <id>', 'explain which overrides match the signal with this id')
    .option('-q, --quiet', 'no summary on standard error')
    .option('--state-dir <dir>', 'also keep the signals in the local store in this directory (for reports and audit bundles)')
    .option('--clickhouse', 'also ship the signals to the ClickHouse named in --config (spooled under the state directory)')
    .addHelpText('after', '\nExit codes: 0 success, 1 --explain found no such signal, 2 usage or input error.')
    .action(async (files: string[], opts: ScanOptions) => {
      process.exitCode = await (await import('./scan.js')).runScan(files, opts);
    });

  const overrides = program.command('overrides').description('Work with overrides.json.');
  overrides.command('check')
    .description('Validate an overrides file and explain each problem with its JSON path and line.')
    .argument('[file]', 'the overrides file', '/etc/sentra/overrides.json')
    .addOption(format(['text', 'json']))
    .addHelpText('after', '\nExit codes: 0 valid, 2 invalid or unreadable.')
    .action(async (file: string, opts: { format: string }) => {
      process.exitCode = (await import('./overrides.js')).runOverridesCheck(file, opts.format);
    });

  daemonOpts(overrides.command('add')
    .description('Add an entry to overrides.json (validated before the file is replaced).'))
    .option('--file <file>', 'the overrides file (default: the one the config names)')
    .requiredOption('--id <id>', 'a short unique name, e.g. patch-window')
    .requiredOption('--reason <text>', 'why this activity is planned, e.g. a change ticket')
    .requiredOption('--reviewer <name>', 'who approved it')
    .option('--action <action>', 'suppress or resolve', 'suppress')
    .option('--from-signal <id>', 'match what this stored signal is: its kind, host, account and address')
    .option('--signal <id>', 'match exactly this signal id')
    .option('--kind <glob>').option('--rule <glob>').option('--host <glob>').option('--user <glob>')
    .option('--src-ip <cidr>').option('--command <glob>')
    .option('--cron <expr>', 'recurring window start, e.g. "0 1 * * 6"').option('--duration <d>', 'window length, e.g. 3h')
    .option('--timezone <zone>', 'zone of the cron window (default UTC)')
    .option('--from <when>', 'fixed window start (date or ISO time)').option('--to <when>', 'fixed window end')
    .option('--expires <date>', 'last day the override applies').option('--ticket <ref>', 'change ticket')
    .action(async (opts: AddOptions) => {
      process.exitCode = (await import('./overrides-add.js')).runOverridesAdd(opts);
    });

  program.command('check')
    .description('Validate the config, the rules and the overrides; exit non-zero with the reason if any is wrong.')
    .option('--config <file>', 'config file to check')
    .option('--overrides <file>', 'overrides file to check (default: the one the config names)')
    .option('--rules <dir>', 'an extra directory of rule files (repeatable)', collect)
    .action(async (opts: { config?: string; overrides?: string; rules?: string[] }) => {
      const { loadConfig } = await import('../config/load.js');
      const { loadRules } = await import('../match/load-rules.js');
      const { loadOverrides } = await import('../override/load.js');
      const { bundledRulesDir } = await import('../paths.js');
      const config = loadConfig(opts.config);
      const rules = loadRules([bundledRulesDir(), ...config.rules_dirs, ...(opts.rules ?? [])]);
      const file = opts.overrides ?? config.overrides;
      const o = file ? loadOverrides(file) : undefined;
      process.stdout.write(`ok: config ${opts.config ?? '(defaults)'}, ${rules.rules.length} rules in ${rules.files.length} files (version ${rules.version})`
        + `${o ? `, ${o.overrides.length} overrides in ${o.file}` : ''}\n`);
      process.exitCode = EXIT.OK;
    });

  program.command('rules')
    .description('List the intent rules with their ATT&CK, SOC 2 and ISO 27001 mappings.')
    .addOption(format(['text', 'json']))
    .option('--rules <dir>', 'an extra directory of rule files (repeatable)', collect)
    .action(async (opts: { format: string; rules?: string[] }) => {
      const { loadRules } = await import('../match/load-rules.js');
      const { bundledRulesDir } = await import('../paths.js');
      const set = loadRules([bundledRulesDir(), ...(opts.rules ?? [])]);
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify({ version: set.version, attack_version: set.taxonomy.attackVersion, rules: set.rules.map((r) => ({
          id: r.spec.id, title: r.spec.title, programs: r.spec.programs, intent: r.spec.intent, outcome: r.spec.outcome,
          severity: r.spec.severity, mitre: r.spec.mitre, soc2: r.spec.soc2, iso27001: r.spec.iso27001 })) }, null, 2)}\n`);
      } else {
        for (const r of set.rules) {
          process.stdout.write(`${r.spec.id.padEnd(40)} ${r.spec.intent.padEnd(20)} ${r.spec.severity.padEnd(8)} ${r.spec.mitre.join(',')}\n`);
        }
        process.stdout.write(`${set.rules.length} rules, version ${set.version}, ATT&CK v${set.taxonomy.attackVersion}\n`);
      }
    });
  daemonOpts(program.command('agent')
    .description('Run the agent: follow the journal or auth.log live and keep signals in the local store.'))
    .addHelpText('after', '\nSignals: SIGHUP reloads rules and overrides (a bad file is refused and the old one kept); SIGTERM stops cleanly.')
    .action(async (opts: { config?: string; stateDir?: string }) => {
      process.exitCode = await (await import('./daemon.js')).runAgent(opts);
    });

  daemonOpts(program.command('status')
    .description('Show what the running agent is doing: sources, lag, counts, signals today, overrides in force.'))
    .addOption(format(['text', 'json']))
    .addHelpText('after', '\nExit codes: 0 the agent is running, 1 it is not, 2 usage or config error.')
    .action(async (opts: { config?: string; stateDir?: string; format: string }) => {
      process.exitCode = (await import('./daemon.js')).runStatus(opts);
    });

  daemonOpts(program.command('signals')
    .description('List signals from the local store.'))
    .option('--since <when>', 'a duration back from now (7d, 24h) or a date', '7d')
    .option('--until <when>', 'a duration back from now or a date')
    .option('--band <band>', 'only this band and above: info, low, medium, high')
    .option('--host <name>', 'only this host')
    .addOption(format(['text', 'jsonl']))
    .action(async (opts: { config?: string; stateDir?: string; since: string; until?: string; band?: string; host?: string; format: string }) => {
      process.exitCode = (await import('./daemon.js')).runSignals(opts);
    });
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
    .action(async (opts: WeeklyOptions) => {
      process.exitCode = await (await import('./report.js')).runWeekly(opts);
    });

  daemonOpts(report.command('fleet')
    .description('The fleet report from ClickHouse: hosts by risk, what needs action, shared addresses, playbooks, tenants.'))
    .option('--since <when>', 'a duration back from now (7d, 24h) or a date', '7d')
    .option('--tenant <name>', 'only this tenant')
    .addOption(format(['html', 'text', 'md', 'json']))
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (opts: { since: string; tenant?: string; format: string; out?: string; config?: string; stateDir?: string }) => {
      process.exitCode = await (await import('./fleet.js')).runFleet(opts);
    });

  daemonOpts(program.command('decide')
    .description('Record an analyst decision on a signal (append-only; shown in reports and audit bundles).'))
    .argument('<signal-id>', 'the 12-hex id of the signal')
    .requiredOption('--status <status>', 'reviewed, resolved, false-positive or escalated')
    .requiredOption('--by <name>', 'who decided')
    .option('--note <text>', 'why', '')
    .option('--force', 'record it even if the signal is not in the local store')
    .action(async (id: string, opts: { status: string; by: string; note: string; force?: boolean; config?: string; stateDir?: string }) => {
      process.exitCode = (await import('./report.js')).runDecide(id, opts);
    });
  const bundle = daemonOpts(program.command('audit-bundle')
    .description('Write a zip of audit evidence: weekly reports, signals, evidence lines, decisions, overrides and their history, rules, controls.csv, manifest.json.'))
    .option('--from <date>', 'first day (UTC), with --to (default: the 90 days before today)')
    .option('--to <date>', 'last day (UTC), included')
    .option('--out <path>', 'a file name, or a directory for sentra-audit-<host>-<from>-<to>-<timestamp>.zip')
    .option('--host <name>', 'only this host')
    .addOption(format(['text', 'json']))
    .action(async (opts: { from?: string; to?: string; out?: string; host?: string; format: string; config?: string; stateDir?: string }) => {
      process.exitCode = await (await import('./audit.js')).runBundle(opts);
    });
  bundle.command('verify')
    .description('Recompute the SHA-256 of every file in a bundle and report any that is missing, extra or altered.')
    .argument('<file>', 'the zip')
    .addOption(format(['text', 'json']))
    .addHelpText('after', '\nExit codes: 0 intact, 1 it does not match its manifest, 2 usage error.')
    .action(async (file: string, opts: { format: string }) => {
      process.exitCode = await (await import('./audit.js')).runVerify(file, opts.format);
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await build().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    return reportError(err);
  }
}

// `sentra signals | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.OK);
  throw err;
});

const code = await main(process.argv.slice(2));
process.exitCode = code;
