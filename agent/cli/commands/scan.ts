// agent/cli/commands/scan.ts: declares `sentra scan`.
import type { Command } from 'commander';
import type { ScanOptions } from '../scan.js';
import { collect, format } from './shared.js';

export function registerScan(program: Command): void {
  program.command('scan')
    .description('Read log files (auth.log, rotated .gz, journalctl -o json, or - for stdin) and print signals or events.')
    .argument('<files...>', 'log files to read; - reads standard input')
    .option('--events', 'print one normalised event per recognised line instead of signals')
    .option('--incidents', 'print the incidents (signals linked into one story each) instead of the signals')
    .addOption(format(['text', 'json', 'jsonl']))
    .option('--overrides <file>', 'overrides.json that marks planned activity')
    .option('--year <yyyy>', 'year of the first line of each file, for timestamps without one (default: from each file\'s modification time)')
    .option('--host <name>', 'use this host name for every line')
    .option('--timezone <zone>', 'IANA zone of timestamps that carry none (default: this machine\'s zone)')
    .option('--config <file>', 'config file (YAML or JSON) with detection thresholds')
    .option('--rules <dir>', 'an extra directory of rule files (repeatable)', collect)
    .option('--explain <id>', 'explain which overrides match the signal with this id, or every link of the incident with this id')
    .option('-q, --quiet', 'no summary on standard error')
    .option('--state-dir <dir>', 'also keep the signals in the local store in this directory (for reports and audit bundles)')
    .option('--clickhouse', 'also ship the signals to the ClickHouse named in --config (spooled under the state directory)')
    .addHelpText('after', '\nExit codes: 0 success, 1 --explain found no such signal or incident, 2 usage or input error.')
    .action(async (files: string[], opts: ScanOptions) => {
      process.exitCode = await (await import('../scan.js')).runScan(files, opts);
    });
}
