// agent/sinks/clickhouse/tenant.ts: the per-tenant intake. ClickHouse cannot check on INSERT that a row's
// tenant column is the inserting user's own (row policies filter SELECT only), so a tenant's agents write
// into an intake database of their own whose tables discard rows (ENGINE = Null) after a materialized view
// has copied them into the shared tables with the tenant fixed by the server. Generated from tables.ts,
// so the intake follows every migration by construction.
import type { ServerInfo } from './schema.js';
import { EVIDENCE, HEARTBEATS, SIGNALS, columnsSql, type Table } from './tables.js';

const INTAKE_TABLES: Table[] = [SIGNALS, EVIDENCE, HEARTBEATS];

/** The intake database of a tenant: a plain identifier whatever the tenant name holds (`.` and `-`). */
export function intakeDatabase(tenant: string): string {
  return `intake_${tenant.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** A ClickHouse string literal. */
function literal(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The statements that create (or re-create, after a migration) a tenant's intake: a Null table per shared
 * table with the same columns, and a view writing each row into the shared table as that tenant.
 */
export function intakeStatements(db: string, tenant: string, info: ServerInfo): string[] {
  const intake = intakeDatabase(tenant);
  const out = [`CREATE DATABASE IF NOT EXISTS ${intake}`];
  for (const t of INTAKE_TABLES) {
    const rest = t.columns.map(([n]) => n).filter((n) => n !== 'tenant');
    // The literal must have the column's type: a String pushed into LowCardinality(String) is refused.
    const tenantType = t.columns.find(([n]) => n === 'tenant')![1];
    const value = info.lowCardinality ? `CAST(${literal(tenant)} AS ${tenantType})` : literal(tenant);
    out.push(
      `DROP TABLE IF EXISTS ${intake}.${t.name}_mv`,
      `DROP TABLE IF EXISTS ${intake}.${t.name}`,
      `CREATE TABLE ${intake}.${t.name} (${columnsSql(t, info)}) ENGINE = Null`,
      `CREATE MATERIALIZED VIEW ${intake}.${t.name}_mv TO ${db}.${t.name} AS SELECT ${value} AS tenant, ${rest.join(', ')}`
        + ` FROM ${intake}.${t.name}`,
    );
  }
  return out;
}

/** Servers with SQL access control (20.5 and later): the rights of the tenant's writer and of the report's reader. */
export function grantStatements(db: string, tenant: string, user: string, reader: string): string[] {
  const intake = intakeDatabase(tenant);
  return [`GRANT INSERT ON ${intake}.* TO ${user}`, `GRANT SELECT ON ${db}.* TO ${reader}`];
}

/** Older servers (users.xml): the profile and user entries for the tenant's writer, to merge by hand. */
export function usersXml(tenant: string, user: string): string {
  const intake = intakeDatabase(tenant);
  return [
    `<profiles><${user}_profile><allow_ddl>0</allow_ddl></${user}_profile></profiles>`,
    `<users><${user}><password_sha256_hex>…</password_sha256_hex><networks><ip>…</ip></networks>`
      + `<profile>${user}_profile</profile><quota>default</quota><allow_databases><database>${intake}</database></allow_databases></${user}></users>`,
  ].join('\n');
}
