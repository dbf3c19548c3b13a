// agent/cli/docs/completion.ts: bash and zsh completion scripts generated from the command tree (tree.ts):
// subcommands, each command's options, and the fixed choices of an option (--format, --status).
import { flatten, type CommandDoc } from './tree.js';

const shellWord = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function bashCompletion(root: CommandDoc): string {
  const cases = flatten(root).map((d) => {
    const words = [...d.subcommands.map((s) => s.path.at(-1)!), ...d.options.flatMap((o) => [o.long, o.short]).filter(Boolean), '--help'];
    return `    ${shellWord(d.path.join(' '))}) opts=${shellWord(words.join(' '))} ;;`;
  });
  const choices = flatten(root).flatMap((d) => d.options.filter((o) => o.choices.length && o.long)
    .map((o) => `    ${shellWord(`${d.path.join(' ')}|${o.long}`)}) COMPREPLY=($(compgen -W ${shellWord(o.choices.join(' '))} -- "$cur")); return ;;`));
  const valued = [...new Set(flatten(root).flatMap((d) => d.options.filter((o) => o.takesValue && o.long).map((o) => o.long!)))];
  return `# bash completion for sentra, generated from its command tree (sentra completion bash)
_sentra() {
  local cur prev path="" i w opts
  cur="\${COMP_WORDS[COMP_CWORD]}"; prev="\${COMP_WORDS[COMP_CWORD-1]}"
  # The command path: the words before the cursor that are subcommands, skipping options and their values.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      -*) case " ${valued.join(' ')} " in *" $w "*) ((i++)) ;; esac ;;
      *) case "$(_sentra_words "$path")" in *" $w "*) path="\${path:+$path }$w" ;; esac ;;
    esac
  done
  case "$path|$prev" in
${choices.join('\n')}
  esac
  case " ${valued.join(' ')} " in *" $prev "*) COMPREPLY=($(compgen -f -- "$cur")); return ;; esac
  opts=$(_sentra_words "$path")
  local subs=""
  for w in $opts; do [[ "$w" == -* ]] || subs="$subs $w"; done
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [ -n "$subs" ]; then COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  else COMPREPLY=($(compgen -f -- "$cur")); fi
}
_sentra_words() {
  local opts=""
  case "$1" in
${cases.join('\n')}
  esac
  echo " $opts "
}
complete -o filenames -F _sentra sentra
`;
}

/** A description inside '…[desc]…': _arguments wants [ ] : \ escaped; a quote ends and reopens the shell word. */
const zshDesc = (s: string): string => s.split('\n')[0]!.slice(0, 120).replace(/[[\]:\\]/g, (c) => `\\${c}`).replace(/'/g, `'\\''`);

export function zshCompletion(root: CommandDoc): string {
  const fn = (d: CommandDoc): string => `_sentra_${d.path.join('_').replace(/-/g, '_') || 'root'}`;
  const bodies = flatten(root).map((d) => {
    const specs = d.options.map((o) => {
      const names = [o.short, o.long].filter(Boolean) as string[];
      const head = names.length > 1 ? `(${names.join(' ')})'{${names.join(',')}}'` : names[0]!;
      const value = o.takesValue ? `:${o.long?.slice(2) ?? 'value'}:${o.choices.length ? `(${o.choices.join(' ')})` : '_files'}` : '';
      return `    '${head}[${zshDesc(o.description)}]${value}'`;
    });
    specs.push(`    '(-h --help)'{-h,--help}'[show help]'`);
    if (d.subcommands.length) {
      const subs = d.subcommands.map((s) => `'${s.path.at(-1)}:${zshDesc(s.summary)}'`).join(' ');
      return `${fn(d)}() {
  local line state
  _arguments -C \\
${specs.join(' \\\n')} \\
    '1: :->cmd' '*::arg:->args'
  case $state in
    cmd) local -a subs; subs=(${subs}); _describe command subs ;;
    args) case $line[1] in
${d.subcommands.map((s) => `      ${s.path.at(-1)}) ${fn(s)} ;;`).join('\n')}
    esac ;;
  esac
}`;
    }
    return `${fn(d)}() {
  _arguments \\
${specs.join(' \\\n')} \\
    '*:file:_files'
}`;
  });
  return `#compdef sentra
# zsh completion for sentra, generated from its command tree (sentra completion zsh)
${bodies.join('\n\n')}

_sentra_root "$@"
`;
}
