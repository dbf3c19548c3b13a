// agent/cli/doctor/reach.ts: can this host reach what the config sends to? ClickHouse answers /ping, an
// SMTP server greets with 220, a webhook or Slack host accepts a TCP connection. Only host and port are
// ever printed: Slack URLs and credentials are secrets.
import { connect } from 'node:net';
import type { Config } from '../../config/load.js';
import { readSecretFile } from '../../config/secret-file.js';
import { redactUrl } from '../../redact.js';
import type { Finding } from './checks.js';

const TIMEOUT_MS = 5000;

/** Connects and, when `greeting` is given, waits for a line starting with it. */
function tcp(host: string, port: number, greeting?: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: TIMEOUT_MS });
    let data = '';
    const done = (problem: string | null): void => { socket.destroy(); resolve(problem); };
    socket.on('connect', () => { if (!greeting) done(null); });
    socket.on('data', (d: Buffer) => {
      data += d.toString('latin1');
      if (data.includes('\n')) done(data.startsWith(greeting ?? '') ? null : `answered "${data.split('\r')[0]!.slice(0, 60)}"`);
    });
    socket.on('timeout', () => done(`no answer within ${TIMEOUT_MS / 1000} s`));
    socket.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

function hostPort(url: string): { host: string; port: number } | null {
  try {
    const u = new URL(url);
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80) };
  } catch {
    return null;
  }
}

export async function reachFindings(cfg: Config): Promise<Finding[]> {
  const out: Finding[] = [];
  if (cfg.clickhouse.enabled) {
    const where = redactUrl(cfg.clickhouse.url);
    try {
      // /ping needs no credentials (and fetch refuses a URL that carries them).
      const ping = new URL('/ping', cfg.clickhouse.url);
      ping.username = '';
      ping.password = '';
      const res = await fetch(ping, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      out.push(res.ok ? { check: 'clickhouse', verdict: 'ok', message: `${where} answers` }
        : { check: 'clickhouse', verdict: 'fail', message: `${where} answered HTTP ${res.status}`, fix: 'check clickhouse.url and the server' });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      out.push({ check: 'clickhouse', verdict: 'fail', message: `${where} cannot be reached (${cause})`,
        fix: 'check clickhouse.url, the network and the server; signals wait in the spool meanwhile' });
    }
  }
  if (cfg.email.enabled && cfg.email.host) {
    const problem = await tcp(cfg.email.host, cfg.email.port, cfg.email.security === 'tls' ? undefined : '220');
    out.push(problem ? { check: 'smtp', verdict: 'fail', message: `${cfg.email.host}:${cfg.email.port}: ${problem}`, fix: 'check email.host, email.port and the firewall' }
      : { check: 'smtp', verdict: 'ok', message: `${cfg.email.host}:${cfg.email.port} answers` });
  }
  if (cfg.notify.enabled) {
    const targets: Array<[string, string | undefined]> = [['webhook', cfg.notify.webhook_url]];
    if (cfg.notify.slack_webhook_url_file) {
      try {
        targets.push(['slack', readSecretFile(cfg.notify.slack_webhook_url_file, 'the Slack webhook URL', 'notify.slack_webhook_url_file')]);
      } catch { /* the secrets finding already names it */ }
    }
    for (const [name, url] of targets) {
      const hp = url ? hostPort(url) : null;
      if (!hp) continue;
      const problem = await tcp(hp.host, hp.port);
      out.push(problem ? { check: name, verdict: 'fail', message: `${hp.host}:${hp.port}: ${problem}`, fix: 'check the URL, DNS and the firewall; messages wait in the outbox meanwhile' }
        : { check: name, verdict: 'ok', message: `${hp.host}:${hp.port} accepts connections` });
    }
  }
  return out;
}
