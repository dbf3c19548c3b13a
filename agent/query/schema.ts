// agent/query/schema.ts: the read-only schema a model is given, as data: Sentra's tables and their columns
// (from sinks/clickhouse/tables.ts) for SQL, and the filter's fields for the local store. The model sees
// this and the question, never a log line: the evidence table (which holds log lines) is not offered.
import { INCIDENTS, SIGNALS, type Table } from '../sinks/clickhouse/tables.js';
import { FILTER_SCHEMA, SUBJECTS } from './filter.js';

/** The tables a model's SQL may read; each *_latest view has the newest version of each row. */
export const QUERY_TABLES: Record<string, Table> = {
  signals_latest: SIGNALS, incidents_latest: INCIDENTS, signals: SIGNALS, incidents: INCIDENTS,
};

const NOTES: Record<string, string> = {
  tenant: 'the customer or fleet the row belongs to; Sentra limits every query to its own tenant',
  id: 'the stable signal (or incident) id', kind: 'remote-login, ssh-success-after-failures, uid0-login, ssh-distributed-guessing, '
    + 'ssh-brute-force, ssh-password-spray, ssh-background-noise, privilege-use, account-change, rule-match',
  intent: 'remote-access, credential-access, privilege-use, identity-management, persistence, maintenance, defense-impairment, discovery, session',
  first_seen: 'time of the first event (UTC)', last_seen: 'time of the last event (UTC)', count: 'events in the signal',
  entities: 'JSON object: user, target_user, src_ip, src_ips, users, commands…', users: 'accounts named in the signal',
  src_ips: 'source addresses', rules: 'ids of the rules that matched (sudo-*, su-*, sshd-*…)', band: 'info, low, medium, high',
  risk: '0 to 1', factors: 'JSON array of {name, weight, detail}; names include new_source, off_hours, privileged_account',
  accounts: 'accounts that logged in or were changed', tried_users: 'names tried in failed logins',
  addr_ips: 'per address (aligned with addr_lines, addr_outcomes)', addr_lines: 'log lines of that address counted once',
  addr_outcomes: 'failed, succeeded or succeeded-after-failures', hosts: 'hosts of the incident', addresses: 'addresses of the incident',
  timeline: 'JSON array of steps', links: 'JSON array of links', tactics: 'ATT&CK tactics', signals: 'ids of the incident\'s signals',
};

export interface SchemaDoc {
  dialect: string;
  tables: Array<{ name: string; description: string; columns: Array<{ name: string; type: string; note?: string }> }>;
  rules: string[];
}

export function sqlSchema(db: string): SchemaDoc {
  return {
    dialect: 'ClickHouse SQL (version 18.16 and later): one SELECT, no comments, no SETTINGS or FORMAT',
    tables: Object.entries(QUERY_TABLES).map(([name, t]) => ({
      name: `${db}.${name}`,
      description: name.endsWith('_latest') ? `the newest version of each ${t.name.replace(/s$/, '')} (prefer this)` : `every version of each ${t.name.replace(/s$/, '')}`,
      columns: t.columns.map(([c, type]) => ({ name: c, type, ...(NOTES[c] ? { note: NOTES[c] } : {}) })),
    })),
    rules: ['Only these tables and columns.', 'No table functions, no system tables, no dictionaries.',
      'A LIMIT of at most 1000 rows; Sentra adds one when missing.', 'Times are DateTime in UTC; compare with toDateTime(\'YYYY-MM-DD hh:mm:ss\').'],
  };
}

export function filterSchema(): { fields: object; subjects: readonly string[]; notes: string[] } {
  return {
    fields: FILTER_SCHEMA.properties, subjects: SUBJECTS,
    notes: ['since and until are ISO 8601 UTC times, since inclusive, until exclusive.', 'newOnly and offHours apply to logins.',
      'band means that band and above.', 'limit at most 1000.'],
  };
}
