#!/usr/bin/env node
// agent/cli/main.ts: the `sentra` command: pins the clock if asked, runs one subcommand, exits with its code.
import { CommanderError } from 'commander';
import { clockFromEnv, setClock } from '../clock.js';
import { EXIT, reportError } from './exit.js';
import { buildProgram } from './program.js';

export async function main(argv: string[]): Promise<number> {
  try {
    const pinned = clockFromEnv();
    if (pinned) setClock(pinned);
  } catch (err) {
    process.stderr.write(`sentra: ${(err as Error).message} [ERR_USAGE]\n`);
    return EXIT.USAGE;
  }
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
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
