// agent/cli/docs/manpage.ts: man pages in roff, one for `sentra` and one per subcommand (sentra-scan(1),
// sentra-report-weekly(1), …), generated from the command tree (tree.ts) by scripts/gen-docs.ts.
import { flatten, type CommandDoc } from './tree.js';

/** Escapes text for roff: backslashes, and a leading dot or quote that would read as a request. */
export function roff(s: string): string {
  return s.replace(/\\/g, '\\e').replace(/-/g, '\\-')
    // Non-ASCII characters as groff's named Unicode escapes, which every output device understands.
    .replace(/[^\x00-\x7f]/gu, (c) => `\\[u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`)
    .split('\n').map((l) => (/^[.']/.test(l) ? `\\&${l}` : l)).join('\n');
}

export const pageName = (d: CommandDoc): string => ['sentra', ...d.path].join('-');

function optionsSection(d: CommandDoc): string[] {
  if (d.options.length === 0) return [];
  const out = ['.SH OPTIONS'];
  for (const o of [...d.options, { flags: '-h, --help', description: 'show the help for this command', choices: [], defaultValue: undefined }]) {
    out.push('.TP', `.B ${roff(o.flags)}`);
    const extra = [o.choices.length && !o.description.includes(o.choices.join(', ')) ? `One of: ${o.choices.join(', ')}.` : '',
      o.defaultValue !== undefined ? `Default: ${o.defaultValue}.` : ''].filter(Boolean).join(' ');
    out.push(roff(`${o.description}${extra ? `. ${extra}` : ''}`));
  }
  return out;
}

export function manPage(d: CommandDoc, version: string, date: string, all: CommandDoc[]): string {
  const name = pageName(d);
  const words = ['sentra', ...d.path].join(' ');
  const lines = [
    `.TH ${name.toUpperCase().replace(/-/g, '\\-')} 1 "${date}" "sentra ${version}" "Sentra manual"`,
    '.SH NAME', `${roff(name)} \\- ${roff(d.summary || 'security signals from Linux authentication logs')}`,
    '.SH SYNOPSIS', `.B ${roff(words)}`, roff(d.usage),
  ];
  if (d.summary) lines.push('.SH DESCRIPTION', roff(d.summary));
  if (d.arguments.length) {
    lines.push('.SH ARGUMENTS');
    for (const a of d.arguments) lines.push('.TP', `.I ${roff(a.name)}${a.variadic ? '...' : ''}`, roff(a.description || (a.required ? 'required' : 'optional')));
  }
  lines.push(...optionsSection(d));
  if (d.subcommands.length) {
    lines.push('.SH COMMANDS');
    for (const s of d.subcommands) lines.push('.TP', `.BR ${pageName(s)} (1)`, roff(s.summary));
  }
  if (d.after) lines.push('.SH NOTES', '.nf', roff(d.after), '.fi');
  if (d.path.length === 0) {
    lines.push('.SH EXIT STATUS', '0 success; 1 a lookup found nothing or a check failed; 2 usage or input error, with the file, line and reason; 3 an unexpected internal error.',
      '.SH FILES', '.TP', '.I /etc/sentra/config.yaml', 'the configuration', '.TP', '.I /etc/sentra/overrides.json', 'operator tuning',
      '.TP', '.I /var/lib/sentra', 'the state directory: local store, checkpoints, decisions, status');
  }
  const related = all.filter((o) => o !== d && (o.path.length === 0 || o.path[0] === d.path[0] || d.path.length === 0)).slice(0, 40);
  lines.push('.SH SEE ALSO', related.map((o) => `.BR ${pageName(o)} (1)`).join(',\n'), '\n/usr/share/doc/sentra/README.md');
  return `${lines.join('\n')}\n`;
}

export function manPages(root: CommandDoc, version: string, date: string): Map<string, string> {
  const all = flatten(root);
  return new Map(all.map((d) => [`${pageName(d)}.1`, manPage(d, version, date, all)]));
}
