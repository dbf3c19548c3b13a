// agent/cli/program.ts: the command tree of `sentra`, built from agent/cli/commands/ (one file per command
// group). Kept apart from main.ts so the tree can be read without running it (help, man pages, completion).
import { Command } from 'commander';
import { packageVersion } from '../paths.js';
import { registerAsk } from './commands/ask.js';
import { registerAudit } from './commands/audit.js';
import { registerClickHouse } from './commands/clickhouse.js';
import { registerCompletion } from './commands/completion.js';
import { registerDoctor } from './commands/doctor.js';
import { registerDaemon } from './commands/daemon.js';
import { registerIncidents } from './commands/incidents.js';
import { registerOverrides } from './commands/overrides.js';
import { registerReport } from './commands/report.js';
import { registerRules } from './commands/rules.js';
import { registerScan } from './commands/scan.js';
import { registerUi } from './commands/ui.js';

// Each command loads its own code when it runs: the agent need not carry the report, mail, AI and zip
// libraries in memory, and `--help` starts fast.
const COMMANDS: Array<(program: Command) => void> = [
  registerScan, registerDaemon, registerIncidents, registerReport, registerAudit, registerOverrides, registerRules, registerClickHouse,
  registerAsk, registerUi, registerDoctor, registerCompletion,
];

export function buildProgram(): Command {
  const program = new Command('sentra')
    .description('Security signals from Linux authentication logs: calm, explainable, risk-scored.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    // Options belong to the command they follow: `audit-bundle --format json` and `audit-bundle verify F --format json` differ.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (s, write) => write(s) })
    .addHelpText('after', '\nEnvironment: SENTRA_NOW=2026-11-30T08:00:00Z runs a command as if it were that time (reports, "--since 7d").');
  for (const register of COMMANDS) register(program);
  // Every subcommand exits like its parent instead of calling process.exit, so main() maps the codes.
  const exitEverywhere = (c: Command): void => { c.exitOverride(); c.commands.forEach(exitEverywhere); };
  exitEverywhere(program);
  return program;
}

