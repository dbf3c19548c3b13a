// agent/query/ai.ts: a question the parser did not understand, translated by an OpenAI-compatible model
// into SQL (ClickHouse configured) or a filter (local store). The model is given the documented schema
// (schema.ts) and the question only: never a log line, a signal or a name from the store. Its answer is
// checked (sql-guard.ts, or the filter's JSON Schema) before anything runs. Provider errors are described
// by status and class only: their text can quote the API key.
import OpenAI from 'openai';
import type { Config } from '../config/load.js';
import { providerProblem, readKey } from '../../reports/weekly/ai.js';
import { validate } from '../validate.js';
import { FILTER_SCHEMA, MAX_LIMIT, type QueryFilter } from './filter.js';
import { filterSchema, sqlSchema } from './schema.js';
import { guardSql, QueryRefused } from './sql-guard.js';

export type ModelAnswer = { kind: 'sql'; sql: string; asked: string } | { kind: 'filter'; filter: QueryFilter; asked: string };

const RULES = 'Answer with one JSON object and nothing else. Use only the schema given. Never write to the database.';

export function systemPrompt(target: 'sql' | 'filter', db: string, nowIso: string): string {
  return target === 'sql'
    ? `You translate an analyst's question about Sentra's security signals into one ClickHouse SELECT over this read-only schema: ${JSON.stringify(sqlSchema(db))}. `
      + `The time now is ${nowIso}. ${RULES} Answer {"sql": "SELECT …"}.`
    : `You translate an analyst's question about Sentra's security signals into a filter over its local store, with these fields: ${JSON.stringify(filterSchema())}. `
      + `The time now is ${nowIso}. ${RULES} Answer {"filter": {…}}.`;
}

/** Asks the model; returns the checked SQL or filter, or throws QueryRefused with a plain reason. */
export async function askModel(cfg: Config, question: string, target: 'sql' | 'filter', now: Date): Promise<ModelAnswer> {
  let key: string | undefined;
  try {
    key = readKey(cfg.ai.api_key_file);
  } catch {
    throw new QueryRefused('the AI API key file could not be read; sentra check names the problem');
  }
  if (!key) throw new QueryRefused('AI is enabled but no API key is configured');
  const client = new OpenAI({ apiKey: key, timeout: cfg.ai.timeout_ms, maxRetries: 0, ...(cfg.ai.base_url ? { baseURL: cfg.ai.base_url } : {}) });
  let body: unknown;
  try {
    const res = await client.chat.completions.create({
      model: cfg.ai.model, temperature: 0, response_format: { type: 'json_object' },
      messages: [{ role: 'system', content: systemPrompt(target, cfg.clickhouse.database, now.toISOString()) }, { role: 'user', content: question }],
    });
    body = JSON.parse(res.choices[0]?.message?.content ?? '');
  } catch (err) {
    throw new QueryRefused(providerProblem(err, cfg.ai.timeout_ms));
  }
  const o = (typeof body === 'object' && body !== null ? body : {}) as { sql?: unknown; filter?: unknown };
  if (target === 'sql') {
    if (typeof o.sql !== 'string' || !o.sql.trim()) throw new QueryRefused('the model gave no SQL');
    return { kind: 'sql', asked: o.sql, sql: guardSql(o.sql, { db: cfg.clickhouse.database, tenant: cfg.clickhouse.tenant }) };
  }
  if (o.filter === undefined) throw new QueryRefused('the model gave no filter');
  const problems = validate(FILTER_SCHEMA, o.filter);
  if (problems.length > 0) {
    throw new QueryRefused(`the model's filter is not valid: ${problems.slice(0, 3).map((p) => `${p.path || '/'}: ${p.message}`).join('; ')}`);
  }
  const f = o.filter as QueryFilter;
  if (Date.parse(f.until) <= Date.parse(f.since)) throw new QueryRefused('the model\'s filter ends before it begins');
  return { kind: 'filter', asked: JSON.stringify(o.filter), filter: { ...f, limit: Math.min(f.limit, MAX_LIMIT) } };
}
