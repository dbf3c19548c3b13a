// agent/sinks/clickhouse/client.ts: a ClickHouse client from the config: the password from a secret file,
// TLS from clickhouse.ca_file / cert_file / key_file, and no logging of its own (errors reach Sentra's
// log once, redacted, with their cause named).
import { rootCertificates } from 'node:tls';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../../config/load.js';
import { readSecretFile } from '../../config/secret-file.js';
import { tlsMaterial } from '../transport.js';

/** `readonly`: every query runs with readonly=1, so the server refuses any write (the investigation view). */
export function clickhouseClient(cfg: Config['clickhouse'], opts: { readonly?: boolean } = {}): ClickHouseClient {
  const password = cfg.password_file ? readSecretFile(cfg.password_file, 'the ClickHouse password', 'clickhouse.password_file') : '';
  const t = tlsMaterial(cfg, 'clickhouse');
  // The client wants a CA whenever it is given TLS options: without ca_file, trust the usual public roots.
  const ca = t.ca ?? Buffer.from(rootCertificates.join('\n'));
  const tls = t.cert && t.key ? { ca_cert: ca, cert: t.cert, key: t.key } : t.ca ? { ca_cert: ca } : undefined;
  return createClient({
    url: cfg.url, username: cfg.user, password, request_timeout: cfg.request_timeout_ms,
    log: { level: ClickHouseLogLevel.OFF },
    ...(tls ? { tls } : {}),
    ...(opts.readonly ? { clickhouse_settings: { readonly: '1' as const } } : {}),
  });
}
