// agent/query/run-clickhouse.ts: runs one checked SELECT with ClickHouse's own guards: readonly=1 (the
// server refuses any write, table function or settings change), a time budget and a row cap.
import type { Config } from '../config/load.js';
import { SentraError } from '../errors.js';
import { errorText } from '../redact.js';
import { clickhouseClient } from '../sinks/clickhouse/client.js';
import { MAX_LIMIT } from './filter.js';
import type { Row } from './local.js';
import { bindParams } from './sql-tokens.js';
import { QueryRefused } from './sql-guard.js';

export const TIME_BUDGET_SECONDS = 10;

export async function runClickHouse(cfg: Config, sql: string, params: Record<string, unknown>): Promise<Row[]> {
  const client = clickhouseClient(cfg.clickhouse);
  try {
    const rs = await client.query({
      query: bindParams(sql, params), format: 'JSONEachRow',
      clickhouse_settings: { readonly: '1', max_execution_time: TIME_BUDGET_SECONDS, max_result_rows: String(MAX_LIMIT), result_overflow_mode: 'throw' },
    });
    return await rs.json<Row>();
  } catch (err) {
    const text = errorText(err);
    // Code 164 is READONLY: the server itself refused a write or a table function.
    if (/Code: 164\b|readonly mode/i.test(text)) throw new QueryRefused(`ClickHouse refused the query in read-only mode (${text})`);
    if (/Code: 159\b|Timeout exceeded/i.test(text)) throw new QueryRefused(`the query took longer than its time budget of ${TIME_BUDGET_SECONDS} s`);
    if (/Code: (47|60|62|46|43|53|36|386|215)\b/.test(text)) throw new QueryRefused(`ClickHouse could not run the query: ${text}`);
    throw new SentraError('ERR_CLICKHOUSE', `ClickHouse could not answer: ${text}`, cfg.clickhouse.url);
  } finally {
    await client.close();
  }
}
