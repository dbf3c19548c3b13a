// agent/sinks/transport.ts: HTTP(S) for the sinks. TLS files from the config (a CA to trust, a client
// certificate and key), errors that name their cause ("TLS: certificate signed by an unknown authority"
// rather than "fetch failed"), a one-time warning for plain HTTP to another machine, and a small POST
// for webhooks on node:https, which takes the TLS options that the global fetch cannot.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { plainHttpWarning, type TlsFiles } from '../config/secrets.js';
import { readSecretFile } from '../config/secret-file.js';
import type { LogFn } from '../daemon/log.js';
import { redact } from '../redact.js';

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Reads the TLS files of one config section; the key under the secret-file rule. */
export function tlsMaterial(t: TlsFiles, section: string): TlsMaterial {
  const out: TlsMaterial = {};
  if (t.ca_file) out.ca = readFileSync(t.ca_file);
  if (t.cert_file) out.cert = readFileSync(t.cert_file);
  if (t.key_file) out.key = Buffer.from(readSecretFile(t.key_file, `the ${section} client key`, `${section}.key_file`));
  return out;
}

const warned = new Set<string>();

/** Warns once per process and URL about plain HTTP to a machine other than this one. */
export function warnPlainHttpOnce(url: string, key: string, log: LogFn): void {
  const w = plainHttpWarning(url, key);
  if (!w || warned.has(url)) return;
  warned.add(url);
  log('warn', redact(w));
}

const TLS_CAUSES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is signed by an unknown authority (set ca_file)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate is signed by an unknown authority (set ca_file)',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate chain ends in an untrusted self-signed CA (set ca_file)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted (set ca_file)',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet (check the clock)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not name this host',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS on this port (http:// rather than https://?)',
  EPROTO: 'the TLS handshake failed',
};

const NET_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused', ECONNRESET: 'connection reset', ETIMEDOUT: 'timed out', ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable', ENETUNREACH: 'network unreachable', EAI_AGAIN: 'name lookup failed', EPIPE: 'connection closed',
};

function causes(err: unknown): Array<{ code?: string; message: string }> {
  const out: Array<{ code?: string; message: string }> = [];
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    out.push({ ...(typeof code === 'string' ? { code } : {}), message: e instanceof Error ? e.message : String(e) });
  }
  return out;
}

/** The TLS failure behind an error, named, or null when it is not one. */
export function tlsCause(err: unknown): string | null {
  for (const c of causes(err)) {
    if (c.code && TLS_CAUSES[c.code]) return `TLS: ${TLS_CAUSES[c.code]} [${c.code}]`;
    if (/certificate|SSL routines|TLS/i.test(c.message) && !/ECONNREFUSED/.test(c.message)) return `TLS: ${c.message.split('\n')[0]}`;
  }
  return null;
}

/** True when the server could not be reached at all (as opposed to answering with an error). */
export function isUnreachable(err: unknown): boolean {
  return causes(err).some((c) => (c.code !== undefined && NET_CAUSES[c.code] !== undefined)
    || /socket hang up|Timeout error|timed out|ECONNREFUSED|ECONNRESET/i.test(c.message));
}

/** One redacted line that says what went wrong, with the TLS or network cause when there is one. */
export function describeError(err: unknown, max = 300): string {
  const first = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
  const tls = tlsCause(err);
  const net = causes(err).find((c) => c.code && NET_CAUSES[c.code]);
  const why = tls ?? (net ? `${NET_CAUSES[net.code!]} [${net.code}]` : null);
  const text = why && !first.includes(why) ? `${first}: ${why}` : first;
  return redact(text).slice(0, max);
}

/** POSTs a body; resolves with the status code. TLS material applies to https URLs. */
export function post(url: string, body: string, headers: Record<string, string>, tls: TlsMaterial, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new Error('the URL is not valid (its text is not shown: it may be a secret)'));
      return;
    }
    const secure = u.protocol === 'https:';
    if (!secure && u.protocol !== 'http:') {
      reject(new Error(`unsupported URL scheme ${u.protocol}`));
      return;
    }
    const options = { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: timeoutMs,
      ...(secure ? { ...tls } : {}) };
    const req = (secure ? httpsRequest : httpRequest)(u, options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}
