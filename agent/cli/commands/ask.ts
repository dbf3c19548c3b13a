// agent/cli/commands/ask.ts: declares `sentra ask`.
import type { Command } from 'commander';
import type { AskOptions } from '../ask.js';
import { daemonOpts, format } from './shared.js';

export function registerAsk(program: Command): void {
  daemonOpts(program.command('ask')
    .description('Answer a question in plain language from the local store or ClickHouse, showing how it was understood first.'))
    .argument('<question...>', 'the question, e.g. "who logged in from new addresses this month"')
    .addOption(format(['text', 'json']))
    .addHelpText('after', `
Examples:
  sentra ask "who logged in yesterday"
  sentra ask "which accounts logged in from new addresses this month"
  sentra ask "failed logins from 203.0.113.9 in the last 24 hours"
  sentra ask "who used sudo on web-01 since Monday"
  sentra ask "account changes last month" --format json
  sentra ask "top 5 addresses in March"
  sentra ask "what happened on web-01 between 2026-03-01 and 2026-03-05"

Time phrases: today, yesterday, this week, last week, this month, last month, last 7 days, past 24 hours,
since Monday, since 2026-03-01, in March, on 2026-03-02, between 2026-03-01 and 2026-03-05 (UTC; default: last 7 days).
With AI configured, a question the parser does not understand goes to the model, whose SQL or filter is checked first.

Exit codes: 0 answered (even with no rows), 1 not understood or refused (ERR_QUERY_REFUSED), 2 usage or config error.`)
    .action(async (words: string[], opts: AskOptions) => {
      process.exitCode = await (await import('../ask.js')).runAsk(words.join(' '), opts);
    });
}
