// agent/config/secrets.ts: what `sentra check` (and the agent at start) verifies about secrets and
// transport in a config: every secret file under the one rule of secret-file.ts, TLS files that are
// there and look like PEM, a webhook secret that is set when webhooks are, and plain HTTP to another
// machine named as a warning. Nothing here prints a secret.
import { readFileSync } from 'node:fs';
import { SentraError } from '../errors.js';
import type { Config } from './load.js';
import { readSecretFile } from './secret-file.js';

export interface SecretRef {
  key: string;
  path: string;
  what: string;
}

export interface TlsFiles {
  ca_file?: string;
  cert_file?: string;
  key_file?: string;
}

/** Every secret file the config names, with its key. */
export function secretFiles(cfg: Config): SecretRef[] {
  const out: SecretRef[] = [];
  const add = (key: string, path: string | undefined, what: string): void => { if (path) out.push({ key, path, what }); };
  add('clickhouse.password_file', cfg.clickhouse.password_file, 'the ClickHouse password');
  add('clickhouse.key_file', cfg.clickhouse.key_file, 'the ClickHouse client key');
  add('notify.slack_webhook_url_file', cfg.notify.slack_webhook_url_file, 'the Slack webhook URL');
  add('notify.webhook_secret_file', cfg.notify.webhook_secret_file, 'the webhook secret');
  add('notify.key_file', cfg.notify.key_file, 'the webhook client key');
  add('email.credentials_file', cfg.email.credentials_file, 'the SMTP credentials');
  add('ai.api_key_file', cfg.ai.api_key_file, 'the AI API key');
  return out;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i;

export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOST.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** A warning for plain HTTP to another machine, or null. */
export function plainHttpWarning(url: string, key: string): string | null {
  if (!/^http:\/\//i.test(url) || isLoopbackUrl(url)) return null;
  let host = '(unparsable host)';
  try { host = new URL(url).host; } catch { /* keep */ }
  return `${key} sends to ${host} over plain http: anyone on the path can read and change what is sent; use https (with ca_file for a private CA)`;
}

function pemProblem(path: string, key: string, marker: RegExp, what: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return `${key} (${path}) cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  return marker.test(text) ? null : `${key} (${path}) holds no PEM ${what}`;
}

function tlsProblems(section: string, t: TlsFiles): string[] {
  const out: string[] = [];
  if (t.ca_file) {
    const p = pemProblem(t.ca_file, `${section}.ca_file`, /-----BEGIN CERTIFICATE-----/, 'certificate');
    if (p) out.push(p);
  }
  if (t.cert_file) {
    const p = pemProblem(t.cert_file, `${section}.cert_file`, /-----BEGIN CERTIFICATE-----/, 'certificate');
    if (p) out.push(p);
  }
  if (t.key_file && !t.cert_file) out.push(`${section}.key_file is set without ${section}.cert_file`);
  if (t.cert_file && !t.key_file) out.push(`${section}.cert_file is set without ${section}.key_file`);
  return out;
}

/** Problems refuse the config; warnings are printed and the config is used. */
export function checkSecretsAndTransport(cfg: Config): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  // Each message from readSecretFile already names the file; the others name the key and the file.
  const warnings: string[] = [];
  for (const ref of secretFiles(cfg)) {
    try {
      const secret = readSecretFile(ref.path, ref.what, ref.key);
      if (ref.key === 'notify.slack_webhook_url_file' && !/^https?:\/\/\S+$/.test(secret)) {
        problems.push(`${ref.key} (${ref.path}) does not hold an http(s) URL on one line (its content is not shown: it is a secret)`);
      }
      if (ref.key.endsWith('.key_file') && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(secret)) {
        problems.push(`${ref.key} (${ref.path}) holds no PEM private key`);
      }
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  problems.push(...tlsProblems('clickhouse', cfg.clickhouse), ...tlsProblems('notify', cfg.notify));
  if (cfg.notify.webhook_url && !cfg.notify.webhook_secret_file) {
    warnings.push('notify.webhook_url is set without notify.webhook_secret_file: webhooks will be sent unsigned');
  }
  for (const [url, key] of [[cfg.clickhouse.url, 'clickhouse.url'], [cfg.notify.webhook_url, 'notify.webhook_url']] as const) {
    const w = url ? plainHttpWarning(url, key) : null;
    if (w) warnings.push(w);
  }
  if (/^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(cfg.clickhouse.url)) {
    warnings.push('clickhouse.url carries a password; put it in clickhouse.password_file (mode 600) instead');
  }
  return { problems, warnings };
}

/** For `sentra check` and the agent's start: throws ERR_SECRET_FILE listing every problem; returns warnings. */
export function assertSecretsAndTransport(cfg: Config, where: string): string[] {
  const { problems, warnings } = checkSecretsAndTransport(cfg);
  if (problems.length > 0) throw new SentraError('ERR_SECRET_FILE', problems.join('; '), where);
  return warnings;
}
