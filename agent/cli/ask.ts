// agent/cli/ask.ts: `sentra ask QUESTION`: how the question was understood (the filter in words, or the SQL),
// then the answer as a short table. Every value from the store came from a log line: escaped for the terminal.
import { SentraError } from '../errors.js';
import { askQuestion, type Answer } from '../query/ask.js';
import { terminal } from '../sinks/escape.js';
import { resolveConfig, type DaemonOptions } from './daemon.js';
import { EXIT } from './exit.js';

export interface AskOptions extends DaemonOptions {
  format: string;
}

const MAX_CELL = 60;

/** One table cell: lists joined, control characters (and tabs, newlines) shown, not obeyed; long text cut. */
export function cell(v: unknown): string {
  const s = Array.isArray(v) ? v.map(String).join(', ') : typeof v === 'boolean' ? (v ? 'yes' : 'no') : v === null || v === undefined ? '' : String(v);
  const safe = terminal(s).replace(/\t/g, '\\t').replace(/\n/g, '\\n');
  return safe.length > MAX_CELL ? `${safe.slice(0, MAX_CELL - 1)}…` : safe;
}

export function table(rows: ReadonlyArray<Record<string, unknown>>): string {
  if (rows.length === 0) return 'No rows: nothing in the store matches.\n';
  const cols = Object.keys(rows[0]!);
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const width = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (xs: string[]): string => xs.map((x, i) => x.padEnd(width[i]!)).join('  ').trimEnd();
  return `${[line(cols), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`;
}

export function answerText(a: Answer): string {
  const out: string[] = [];
  if (a.refused) {
    out.push(`Refused [${a.refused.code}]: ${terminal(a.refused.reason)}`);
  } else if (!a.understood) {
    out.push(...a.notes.map(terminal));
  } else {
    out.push(`Understood: ${terminal(a.understood.text)}${a.via === 'ai' ? ' (via AI)' : ''}`);
    if (a.understood.kind === 'sql') {
      out.push(`Query (${a.source}): ${terminal(a.understood.sql)}`);
      const p = Object.entries(a.understood.params);
      if (p.length) out.push(`Parameters: ${terminal(p.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', '))}`);
    } else {
      out.push(`Filter (${a.source} store): ${terminal(JSON.stringify(a.understood.filter))}`);
    }
    out.push('', table(a.results).trimEnd(), `${a.results.length} ${a.results.length === 1 ? 'row' : 'rows'}.`);
    out.push(...a.notes.map(terminal));
  }
  if (a.suggestions?.length) out.push('Questions Sentra understands, for example:', ...a.suggestions.map((s) => `  sentra ask "${s}"`));
  return `${out.join('\n')}\n`;
}

export async function runAsk(question: string, opts: AskOptions): Promise<number> {
  if (!['text', 'json'].includes(opts.format)) throw new SentraError('ERR_USAGE', `--format must be one of text, json, not "${opts.format}"`);
  if (!question.trim()) throw new SentraError('ERR_USAGE', 'ask needs a question, e.g. sentra ask "who logged in yesterday"');
  const cfg = resolveConfig(opts);
  const answer = await askQuestion(question, { stateDir: cfg.state_dir, config: cfg });
  process.stdout.write(opts.format === 'json' ? `${JSON.stringify(answer, null, 2)}\n` : answerText(answer));
  return answer.understood && !answer.refused ? EXIT.OK : EXIT.NOT_FOUND;
}
