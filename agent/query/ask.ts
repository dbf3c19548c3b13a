// agent/query/ask.ts: a question in plain language answered from the local store or ClickHouse: first the
// deterministic parser; only when it does not understand, and AI is configured, a model's SQL or filter,
// checked before it runs. Used by `sentra ask` and the UI's question box.
import type { Config } from '../config/load.js';
import { nowDate } from '../clock.js';
import { SentraError } from '../errors.js';
import { askModel } from './ai.js';
import { describeFilter } from './describe.js';
import type { QueryFilter } from './filter.js';
import { answerLocal, type Row } from './local.js';
import { parseQuestion } from './parse.js';
import { runClickHouse } from './run-clickhouse.js';
import { QueryRefused } from './sql-guard.js';
import { filterSql, shapeRows } from './sql.js';

export interface AskContext {
  stateDir: string;
  config: Config;
  now?: Date;
}

export interface Answer {
  question: string;
  understood: null | { kind: 'filter'; filter: QueryFilter; text: string } | { kind: 'sql'; sql: string; params: Record<string, unknown>; text: string };
  results: Row[];
  source: 'local' | 'clickhouse';
  via: 'parser' | 'ai';
  notes: string[];
  /** A query from the model that Sentra would not run (code ERR_QUERY_REFUSED), or a store that refused it. */
  refused?: { code: string; reason: string };
  suggestions?: string[];
}

const limitNote = (rows: readonly unknown[], limit: number): string[] =>
  (rows.length >= limit ? [`Only the first ${limit} rows are shown; narrow the question or ask for more (top 200).`] : []);

export async function askQuestion(question: string, ctx: AskContext): Promise<Answer> {
  const now = ctx.now ?? nowDate();
  const cfg = ctx.config;
  const source = cfg.clickhouse.enabled ? 'clickhouse' : 'local';
  const base = { question, source, notes: [] as string[] } as const;
  const parsed = parseQuestion(question, now.getTime());

  if ('filter' in parsed) {
    const f = parsed.filter;
    const text = describeFilter(f);
    if (source === 'local') {
      const results = answerLocal(ctx.stateDir, cfg.store, f);
      return { ...base, via: 'parser', understood: { kind: 'filter', filter: f, text }, results, notes: limitNote(results, f.limit) };
    }
    const built = filterSql(f, cfg.clickhouse.database, cfg.clickhouse.tenant);
    let rows: Row[];
    try {
      rows = await runClickHouse(cfg, built.sql, built.params);
    } catch (err) {
      // Sentra's own SQL refused by the server: a server (or schema) problem, not the question's.
      if (err instanceof QueryRefused) throw new SentraError('ERR_CLICKHOUSE', err.message, cfg.clickhouse.url);
      throw err;
    }
    const results = shapeRows(f, rows);
    return { ...base, via: 'parser', understood: { kind: 'sql', sql: built.sql, params: built.params, text }, results, notes: limitNote(results, f.limit) };
  }

  const notUnderstood: Answer = { ...base, via: 'parser', understood: null, results: [], notes: [`Sentra did not understand the question: ${parsed.problem}.`],
    suggestions: parsed.suggestions };
  if (!cfg.ai.enabled) return notUnderstood;
  try {
    const m = await askModel(cfg, question, source === 'clickhouse' ? 'sql' : 'filter', now);
    const notes = [`The parser did not understand the question (${parsed.problem}); ${cfg.ai.model} translated it, and Sentra checked the result before running it.`];
    if (m.kind === 'filter') {
      const results = answerLocal(ctx.stateDir, cfg.store, m.filter);
      return { ...base, via: 'ai', understood: { kind: 'filter', filter: m.filter, text: describeFilter(m.filter) }, results, notes: [...notes, ...limitNote(results, m.filter.limit)] };
    }
    const results = await runClickHouse(cfg, m.sql, {});
    if (m.sql !== m.asked.trim().replace(/;\s*$/, '')) notes.push('Sentra limited the query to this tenant\'s rows and capped its LIMIT before running it.');
    return { ...base, via: 'ai', understood: { kind: 'sql', sql: m.sql, params: {}, text: 'SQL written by the model, checked by Sentra' }, results, notes };
  } catch (err) {
    if (err instanceof QueryRefused) {
      return { ...notUnderstood, via: 'ai', refused: { code: 'ERR_QUERY_REFUSED', reason: err.message }, notes: [`Sentra refused to run the model's answer: ${err.message}.`] };
    }
    throw err;
  }
}
