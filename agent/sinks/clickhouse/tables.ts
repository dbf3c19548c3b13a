// agent/sinks/clickhouse/tables.ts: the columns of each table, as data. Migrations, the *_latest views
// and the per-tenant intake tables are all generated from these lists. A future table (incidents) is one
// more Table here, one migration step that creates it, and one more latestView().
import type { ServerInfo } from './schema.js';

/** `lc` columns are LowCardinality(String) where the server has it. */
export type Column = [name: string, type: string];

export interface Table {
  name: string;
  columns: Column[];
  /** The identity of a row: one row per key in the *_latest view. */
  key: string[];
  /** The column whose maximum marks the newest version of a key. */
  version: string;
}

const LC = 'LowCardinality(String)';

export const SIGNALS_V1: Table = {
  name: 'signals', key: ['tenant', 'host', 'id'], version: 'version',
  columns: [
    ['tenant', LC], ['host', 'String'], ['id', 'String'], ['version', 'UInt64'], ['kind', LC], ['title', 'String'], ['intent', LC],
    ['first_seen', 'DateTime'], ['last_seen', 'DateTime'], ['count', 'UInt64'], ['entities', 'String'], ['users', 'Array(String)'],
    ['src_ips', 'Array(String)'], ['rules', 'Array(String)'], ['mitre', 'Array(String)'], ['soc2', 'Array(String)'],
    ['iso27001', 'Array(String)'], ['risk', 'Float64'], ['band', LC], ['factors', 'String'], ['action_required', 'UInt8'],
    ['explanation', 'String'], ['recommended_action', 'String'], ['suppressed', 'UInt8'], ['override_id', 'String'],
    ['override_reason', 'String'], ['inserted_at', 'DateTime'],
  ],
};

export const SIGNALS: Table = {
  ...SIGNALS_V1,
  columns: [...SIGNALS_V1.columns, ['accounts', 'Array(String)'], ['tried_users', 'Array(String)'], ['addr_ips', 'Array(String)'],
    ['addr_lines', 'Array(UInt64)'], ['addr_outcomes', 'Array(String)']],
};

export const EVIDENCE: Table = {
  name: 'evidence', key: ['tenant', 'host', 'signal_id', 'seq'], version: 'version',
  columns: [['tenant', LC], ['host', 'String'], ['signal_id', 'String'], ['seq', 'UInt16'], ['version', 'UInt64'], ['ts', 'DateTime'],
    ['source', 'String'], ['cursor', 'String'], ['line', 'String']],
};

export const HEARTBEATS: Table = {
  name: 'heartbeats', key: ['tenant', 'host'], version: 'at',
  columns: [['tenant', LC], ['host', 'String'], ['at', 'DateTime'], ['agent_version', 'String'], ['state', 'String'],
    ['last_event', 'DateTime'], ['lag_seconds', 'Float64'], ['spool_records', 'UInt64'], ['spool_bytes', 'UInt64'],
    ['evidence_owed', 'UInt64'], ['refused', 'UInt64']],
};

/** One row per version of an incident; timeline and links are JSON (see incident-rows.ts). */
export const INCIDENTS: Table = {
  name: 'incidents', key: ['tenant', 'id'], version: 'version',
  columns: [['tenant', LC], ['id', 'String'], ['version', 'UInt64'], ['scope', LC], ['title', 'String'], ['hosts', 'Array(String)'],
    ['first_seen', 'DateTime'], ['last_seen', 'DateTime'], ['signals', 'Array(String)'], ['accounts', 'Array(String)'],
    ['addresses', 'Array(String)'], ['tactics', 'Array(String)'], ['timeline', 'String'], ['links', 'String'], ['risk', 'Float64'],
    ['band', LC], ['action_required', 'UInt8'], ['suppressed', 'UInt8'], ['explanation', 'String'], ['recommended_action', 'String'],
    ['mitre', 'Array(String)'], ['soc2', 'Array(String)'], ['iso27001', 'Array(String)'], ['inserted_at', 'DateTime']],
};

export function columnsSql(t: Table, info: ServerInfo): string {
  return t.columns.map(([n, type]) => `${n} ${type === LC && !info.lowCardinality ? 'String' : type}`).join(', ');
}

/**
 * A view with one row per key holding the newest version's columns. Written for old servers too: the
 * inner aliases differ from the column names, because ClickHouse 18 substitutes an alias wherever its
 * name appears (argMax(band, version) AS band would nest aggregates).
 */
export function latestView(db: string, t: Table): string {
  const rest = t.columns.map(([n]) => n).filter((n) => !t.key.includes(n));
  const inner = rest.map((n) => (n === t.version ? `max(${n}) AS ${n}__l` : `argMax(${n}, ${t.version}) AS ${n}__l`));
  return `CREATE VIEW ${db}.${t.name}_latest AS SELECT ${[...t.key, ...rest.map((n) => `${n}__l AS ${n}`)].join(', ')}`
    + ` FROM (SELECT ${[...t.key, ...inner].join(', ')} FROM ${db}.${t.name} GROUP BY ${t.key.join(', ')})`;
}
