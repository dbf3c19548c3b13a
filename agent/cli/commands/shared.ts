// agent/cli/commands/shared.ts: option builders every command file uses, so flags read the same everywhere.
import { Option, type Command } from 'commander';
import { DEFAULT_CONFIG_PATH } from '../../paths.js';

/** A repeatable option's accumulator: `--rules a --rules b`. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `--format` with its choices listed in --help; each command checks the value it got. */
export const format = (choices: string[], def = 'text'): Option =>
  new Option('--format <format>', `output format: ${choices.join(', ')}`).default(def);

/** `--config` and `--state-dir`, the two ways every store command finds its state directory. */
export const daemonOpts = (c: Command): Command => c
  .option('--config <file>', `config file (default: ${DEFAULT_CONFIG_PATH} when present)`)
  .option('--state-dir <dir>', 'state directory (default: from the config, /var/lib/sentra)');
