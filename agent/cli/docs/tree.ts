// agent/cli/docs/tree.ts: the command tree as plain data (names, summaries, options, arguments, choices),
// read from the commander program itself, so the man pages and shell completion cannot drift from --help.
import type { Command, Option } from 'commander';

export interface OptionDoc {
  flags: string;
  long: string | undefined;
  short: string | undefined;
  description: string;
  takesValue: boolean;
  choices: string[];
  defaultValue: string | undefined;
}

export interface CommandDoc {
  /** The words after `sentra`: [] for sentra itself, ['report', 'weekly'] for a nested one. */
  path: string[];
  summary: string;
  usage: string;
  after: string;
  options: OptionDoc[];
  arguments: Array<{ name: string; required: boolean; variadic: boolean; description: string }>;
  subcommands: CommandDoc[];
}

/** Choices of an option: commander's own, else the list our `format()` writes into the description. */
function choicesOf(o: Option): string[] {
  if (o.argChoices?.length) return o.argChoices;
  const listed = /^output format: ([a-z0-9, -]+)$/.exec(o.description);
  if (listed) return listed[1]!.split(',').map((s) => s.trim());
  const statuses = /^(reviewed, resolved, false-positive or escalated)$/.exec(o.description);
  return statuses ? ['reviewed', 'resolved', 'false-positive', 'escalated'] : [];
}

/** Text commander adds after the help (`addHelpText('after', …)`), without a fake stdout. */
function afterText(c: Command): string {
  let out = '';
  // commander keeps addHelpText('after') as an 'afterHelp' listener; Command is an EventEmitter at run time.
  (c as unknown as NodeJS.EventEmitter).emit('afterHelp', { error: false, command: c, write: (s: string) => { out += s; } });
  return out.trim();
}

export function describeCommand(c: Command, path: string[] = []): CommandDoc {
  const options = c.options.map((o) => ({
    flags: o.flags, long: o.long, short: o.short, description: o.description,
    takesValue: o.required || o.optional, choices: choicesOf(o),
    defaultValue: o.defaultValue === undefined || typeof o.defaultValue === 'boolean' ? undefined : String(o.defaultValue),
  }));
  return {
    path, summary: c.description(), usage: c.usage(), after: afterText(c), options,
    arguments: c.registeredArguments.map((a) => ({ name: a.name(), required: a.required, variadic: a.variadic, description: a.description })),
    subcommands: c.commands.map((s) => describeCommand(s, [...path, s.name()])),
  };
}

export function flatten(doc: CommandDoc): CommandDoc[] {
  return [doc, ...doc.subcommands.flatMap(flatten)];
}
