// agent/cli/clickhouse-intake.ts: `sentra clickhouse intake`: a tenant's intake database and views (see
// agent/sinks/clickhouse/tenant.ts), printed for review or applied with the configured (administrative) user.
import type { ClickHouseClient } from '@clickhouse/client';
import { SentraError } from '../errors.js';
import { clickhouseClient } from '../sinks/clickhouse/client.js';
import { migrate, serverInfo, settingsFor, type ServerInfo } from '../sinks/clickhouse/schema.js';
import { now } from '../clock.js';
import { grantStatements, intakeDatabase, intakeStatements, usersXml } from '../sinks/clickhouse/tenant.js';
import { describeError } from '../sinks/transport.js';
import { redact, redactUrl } from '../redact.js';
import { resolveConfig, type DaemonOptions } from './daemon.js';
import { EXIT } from './exit.js';

export interface IntakeOptions extends DaemonOptions {
  tenant?: string;
  user?: string;
  reader: string;
  apply?: boolean;
  format: string;
}

const TENANT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const USER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

async function askServer(client: ClickHouseClient): Promise<ServerInfo> {
  const rows = await (await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>();
  return serverInfo(rows[0]!.v);
}

/** A server that cannot be reached or refuses is not a usage error: exit 1, one line. */
function failed(message: string): number {
  process.stderr.write(`sentra: ${redact(message)} [ERR_CLICKHOUSE]\n`);
  return EXIT.NOT_FOUND;
}

export async function runIntake(opts: IntakeOptions): Promise<number> {
  if (!['text', 'json'].includes(opts.format)) throw new SentraError('ERR_USAGE', `--format must be text or json, not "${opts.format}"`);
  const cfg = resolveConfig(opts);
  const tenant = opts.tenant ?? cfg.clickhouse.tenant;
  if (!TENANT.test(tenant)) throw new SentraError('ERR_USAGE', `--tenant must be letters, digits, ".", "_" or "-", not "${tenant}"`);
  const user = opts.user ?? `sentra_${intakeDatabase(tenant).slice('intake_'.length)}`;
  for (const [flag, v] of [['--user', user], ['--reader', opts.reader]] as const) {
    if (!USER.test(v)) throw new SentraError('ERR_USAGE', `${flag} must be a plain ClickHouse user name, not "${v}"`);
  }
  const db = cfg.clickhouse.database;
  const client = clickhouseClient(cfg.clickhouse);
  try {
    let info: ServerInfo;
    try {
      info = await askServer(client);
    } catch (err) {
      return failed(`cannot reach ClickHouse at ${redactUrl(cfg.clickhouse.url)}: ${describeError(err)}`);
    }
    const statements = intakeStatements(db, tenant, info);
    const sqlRights = info.major > 20 || (info.major === 20 && info.minor >= 5);
    const rights = sqlRights ? grantStatements(db, tenant, user, opts.reader) : [];
    if (opts.apply) {
      // The views write into the shared tables: bring those up to the latest migration first (idempotent).
      try {
        await migrate(client, db, info, cfg.store.retention_days, now());
      } catch (err) {
        return failed(`ClickHouse at ${redactUrl(cfg.clickhouse.url)} refused the migration of ${db}: ${describeError(err)}`);
      }
      for (const query of statements) {
        try {
          await client.command({ query, clickhouse_settings: settingsFor(info) });
        } catch (err) {
          return failed(`ClickHouse at ${redactUrl(cfg.clickhouse.url)} refused "${query.slice(0, 70)}…": ${describeError(err)}`);
        }
      }
    }
    const result = { tenant, database: intakeDatabase(tenant), server_version: info.version, applied: Boolean(opts.apply), statements,
      rights: sqlRights ? { sql: rights } : { users_xml: usersXml(tenant, user) } };
    if (opts.format === 'json') {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return EXIT.OK;
    }
    const settings = Object.entries(settingsFor(info)).map(([k, v]) => `SET ${k} = ${v};`);
    const lines = [`-- Sentra intake for tenant ${tenant} on ClickHouse ${info.version}${opts.apply ? ' (applied)' : ''}`,
      ...settings, ...statements.map((s) => `${s};`), ''];
    lines.push(sqlRights ? '-- rights (run as an administrator):' : '-- rights: merge into users.xml (this server has no GRANT):');
    lines.push(...(sqlRights ? rights.map((s) => `${s};`) : result.rights.users_xml!.split('\n').map((l) => `-- ${l}`)));
    lines.push(`-- the tenant's agents then use: clickhouse.user ${user}, clickhouse.database ${intakeDatabase(tenant)}, clickhouse.migrate false`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.OK;
  } finally {
    await client.close();
  }
}
