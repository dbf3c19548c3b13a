// agent/query/sql-guard.ts: checks SQL a model wrote before it runs, on tokens (sql-tokens.ts), never on
// the raw text: exactly one SELECT, no comments, only Sentra's tables (rewritten to this tenant's rows) and
// their columns, no function that reads files, reaches the network or looks at the server, no SETTINGS,
// FORMAT or INTO OUTFILE, and a LIMIT of at most MAX_LIMIT (added when missing). ClickHouse then runs it
// with readonly=1 and a time budget, as a second wall.
import { MAX_LIMIT } from './filter.js';
import { QUERY_TABLES } from './schema.js';
import { literal, SqlSyntaxError, tokenize, type Token } from './sql-tokens.js';

export class QueryRefused extends Error {}

const FORBIDDEN = new Set(['insert', 'update', 'delete', 'drop', 'alter', 'create', 'attach', 'detach', 'rename', 'truncate', 'optimize',
  'grant', 'revoke', 'kill', 'system', 'set', 'settings', 'format', 'into', 'outfile', 'use', 'exchange', 'union', 'show', 'explain',
  'check', 'watch', 'live', 'move', 'backup', 'restore', 'undrop', 'intersect', 'except']);

/** Functions that read files, reach other servers, read dictionaries or describe the server itself. */
const DENIED_FUNCTIONS = new Set(['input', 'executable', 'executablepool', 'jdbc', 'odbc', 'merge', 'numbers', 'numbers_mt', 'zeros',
  'zeros_mt', 'generaterandom', 'values', 'format', 'view', 'viewifpermitted', 'loop', 'null', 'joinget', 'joingetornull', 'getsetting',
  'currentuser', 'currentdatabase', 'hostname', 'fqdn', 'version', 'uptime', 'tcpport', 'buildid', 'serveruuid', 'getmacro', 'displayname',
  'getserverport', 'sleep', 'sleepeachrow', 'gcs', 'oss', 'cosn', 'meilisearch', 'fuzzjson', 'fuzzquery', 'sqlite', 'mongodb', 'redis',
  'hive', 'deltalake', 'hudi', 'filesystem', 'dictionary', 'getclientinfo', 'currentprofiles', 'currentroles', 'enabledroles',
  'initialqueryid', 'queryid', 'shardnum', 'shardcount', 'globalvariable', 'filesystemavailable', 'filesystemcapacity', 'filesystemunreserved']);
const DENIED_PREFIXES = ['file', 'url', 's3', 'hdfs', 'remote', 'cluster', 'mysql', 'postgres', 'dict', 'azure', 'iceberg', 'system'];

/** Words of the SQL a reading query needs; any other bare name must be a column, table or alias. */
const KEYWORDS = new Set(['select', 'distinct', 'from', 'where', 'prewhere', 'and', 'or', 'not', 'in', 'as', 'on', 'using', 'group', 'by',
  'order', 'asc', 'desc', 'ascending', 'descending', 'limit', 'offset', 'having', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross',
  'any', 'all', 'array', 'global', 'case', 'when', 'then', 'else', 'end', 'is', 'null', 'like', 'ilike', 'between', 'interval', 'second',
  'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'true', 'false', 'with', 'totals', 'nulls', 'first', 'last', 'collate',
  'semi', 'anti', 'asof', 'ties', 'rows', 'fetch', 'next', 'only', 'exists', 'final', 'sample', 'filter', 'over', 'partition', 'window',
  'range', 'unbounded', 'preceding', 'following', 'current', 'row', 'cast', 'extract', 'trim', 'leading', 'trailing', 'both', 'date',
  'timestamp', 'string', 'uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'datetime', 'rollup', 'cube']);

const COLUMNS = new Set(Object.values(QUERY_TABLES).flatMap((t) => t.columns.map(([c]) => c.toLowerCase())));
const isName = (t: Token | undefined): t is Token => t !== undefined && (t.type === 'ident' || t.type === 'quoted');
const low = (t: Token | undefined): string => (t ? (t.type === 'ident' || t.type === 'quoted' ? t.value.toLowerCase() : t.text) : '');

function deniedFunction(name: string): boolean {
  return DENIED_FUNCTIONS.has(name) || DENIED_PREFIXES.some((p) => name.startsWith(p));
}

export interface GuardOptions { db: string; tenant: string; maxLimit?: number }

/** The SQL as it will run (tables limited to the tenant, LIMIT capped), or QueryRefused with the reason. */
export function guardSql(input: string, opts: GuardOptions): string {
  const max = opts.maxLimit ?? MAX_LIMIT;
  if (input.length > 10_000) throw new QueryRefused('the query is longer than 10,000 characters');
  let tokens: Token[];
  // Edits are made on tokens, so the text between them (and inside strings) stays exactly as written.
  const drop = new Set<Token>();
  const replace = new Map<Token, string>();
  try {
    tokens = tokenize(input);
  } catch (err) {
    if (err instanceof SqlSyntaxError) throw new QueryRefused(`the query is not valid SQL: ${err.message}`);
    throw err;
  }
  if (tokens.some((t) => t.type === 'comment')) throw new QueryRefused('the query holds a comment, which can hide a second statement');
  if (tokens.some((t) => t.type === 'param')) throw new QueryRefused('the query holds a {parameter} placeholder');
  const sig = tokens.filter((t) => t.type !== 'space');
  if (sig.at(-1)?.type === 'semicolon') drop.add(sig.pop()!);
  if (sig.some((t) => t.type === 'semicolon')) throw new QueryRefused('the query holds more than one statement');
  if (low(sig[0]) !== 'select' || sig[0]!.type !== 'ident') throw new QueryRefused('the query is not a SELECT');

  // Names the query defines: aliases (after AS) and lambda parameters (before ->).
  const defined = new Set<string>();
  let depth = 0;
  for (let i = 0; i < sig.length; i++) {
    const t = sig[i]!;
    if (t.text === '(') depth++;
    if (t.text === ')' && --depth < 0) throw new QueryRefused('the query\'s parentheses do not match');
    if (low(t) === 'as' && t.type === 'ident' && isName(sig[i + 1])) defined.add(low(sig[i + 1]));
    if (isName(t) && ['from', 'join'].includes(low(sig[i - 1]))) { // a table's alias without AS: FROM signals_latest s
      const after = sig[i + 1]?.text === '.' ? sig[i + 3] : sig[i + 1];
      if (isName(after) && !KEYWORDS.has(low(after)) && !FORBIDDEN.has(low(after))) defined.add(low(after));
    }
    if (t.text === '->') {
      if (isName(sig[i - 1])) defined.add(low(sig[i - 1]));
      else if (sig[i - 1]?.text === ')') for (let j = i - 2; j >= 0 && sig[j]!.text !== '('; j--) if (isName(sig[j])) defined.add(low(sig[j]));
    }
  }
  if (depth !== 0) throw new QueryRefused('the query\'s parentheses do not match');

  let finalLimit = false;
  depth = 0;
  for (let i = 0; i < sig.length; i++) {
    const t = sig[i]!;
    const name = low(t);
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (t.type === 'ident' && FORBIDDEN.has(name)) throw new QueryRefused(`${t.value.toUpperCase()} is not allowed: a question may only read, with one SELECT`);
    if (isName(t) && sig[i + 1]?.text === '(') {
      if (deniedFunction(name)) throw new QueryRefused(`the function ${t.value}() is not allowed: it can read files, reach other servers or describe the server`);
      continue;
    }
    const prev = low(sig[i - 1]);
    const tableRef = isName(t) && (prev === 'from' || (prev === 'join' && low(sig[i - 2]) !== 'array'));
    if (tableRef) {
      let db: string | undefined;
      let table = t;
      if (sig[i + 1]?.text === '.') {
        if (!isName(sig[i + 2])) throw new QueryRefused('the query names a table it does not finish');
        db = t.value;
        table = sig[i + 2]!;
        drop.add(sig[i + 1]!).add(table);
        i += 2;
      }
      if (sig[i + 1]?.text === '(') throw new QueryRefused(`the table function ${table.value}() is not allowed: only Sentra's tables can be read`);
      if ((db !== undefined && db !== opts.db) || !Object.hasOwn(QUERY_TABLES, table.value)) {
        throw new QueryRefused(`${db ? `${db}.` : ''}${table.value} is not one of Sentra's tables (${Object.keys(QUERY_TABLES).join(', ')})`);
      }
      const next = sig[i + 1];
      const aliased = low(next) === 'as' || (isName(next) && !KEYWORDS.has(low(next)) && !FORBIDDEN.has(low(next)));
      if (next?.text === ',') throw new QueryRefused('tables are joined with JOIN, not with a comma');
      // Only this tenant's rows: the table becomes a subquery filtered on tenant, under the table's own name.
      replace.set(t, `(SELECT * FROM ${opts.db}.${table.value} WHERE tenant = ${literal(opts.tenant)})${aliased ? '' : ` AS ${table.value}`}`);
      continue;
    }
    if (isName(t) && !(t.type === 'ident' && KEYWORDS.has(name)) && !COLUMNS.has(name) && !defined.has(name)
      && !Object.hasOwn(QUERY_TABLES, t.value) && t.value !== opts.db) {
      throw new QueryRefused(`${t.value} is not a column of Sentra's tables (name a column, or give an expression a name with AS)`);
    }
    if (t.type === 'ident' && name === 'limit' && depth === 0) {
      const a = sig[i + 1], sep = sig[i + 2], b = sig[i + 3];
      if (a?.type !== 'number' || !/^\d+$/.test(a.value)) throw new QueryRefused('LIMIT must be followed by a whole number');
      if (low(sep) === 'by' || (sep?.text === ',' && low(sig[i + 4]) === 'by')) continue; // LIMIT n BY: per group
      finalLimit = true;
      const count = sep?.text === ',' && b?.type === 'number' ? b : a; // LIMIT offset, count
      if (count.type !== 'number' || !/^\d+$/.test(count.value)) throw new QueryRefused('LIMIT must be followed by a whole number');
      if (Number(count.value) > max) replace.set(count, String(max));
    }
  }
  let sql = tokens.filter((t) => !drop.has(t)).map((t) => replace.get(t) ?? t.text).join('').trim();
  if (!finalLimit) sql += ` LIMIT ${max}`;
  return sql;
}
