// reports/email.ts: the weekly report by email (nodemailer over SMTP): multipart HTML and plain text, a
// subject that says the host, the week and whether action is required, credentials from a file only the
// service user can read, and a record of what was sent so a week is never sent twice.
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { parse as parseYaml } from 'yaml';
import type { Config } from '../agent/config/load.js';
import { readSecretFile } from '../agent/config/secret-file.js';
import { SentraError } from '../agent/errors.js';
import { registerSecret } from '../agent/redact.js';
import { appendDurably, readJsonLines } from '../agent/store/atomic.js';
import { render } from './render.js';
import { hostsPhrase } from './weekly/narrative.js';
import type { WeeklyFacts } from './weekly/facts.js';
import { nowDate } from '../agent/clock.js';

export interface SentRecord {
  week: string;
  hosts: string[];
  sent_at: string;
  message_id: string;
  to: string[];
}

const sentPath = (stateDir: string): string => join(stateDir, 'reports-sent.jsonl');

export function sentRecords(stateDir: string): SentRecord[] {
  return readJsonLines<SentRecord>(sentPath(stateDir));
}

export function alreadySent(stateDir: string, week: string): boolean {
  return sentRecords(stateDir).some((r) => r.week === week);
}

/** The SMTP login, from a secret file (one rule for every secret: agent/config/secret-file.ts). */
export function credentials(file: string): { user: string; pass: string } {
  const data = parseYaml(readSecretFile(file, 'the SMTP credentials', 'email.credentials_file')) as { user?: unknown; pass?: unknown } | null;
  if (!data || typeof data.user !== 'string' || typeof data.pass !== 'string') {
    throw new SentraError('ERR_CONFIG_INVALID', 'expected "user" and "pass"', file);
  }
  registerSecret(data.pass);
  return { user: data.user, pass: data.pass };
}

export function subject(cfg: Config, f: WeeklyFacts): string {
  const need = f.totals.action_required;
  return `${cfg.email.subject_prefix ? `${cfg.email.subject_prefix} ` : ''}${hostsPhrase(f.hosts)}, week ${f.period.label}: `
    + (need === 0 ? 'no action required' : `${need} ${need === 1 ? 'item needs' : 'items need'} action`);
}

/** Sends the report; unless `force`, a week already recorded as sent is not sent again. */
export async function sendWeekly(cfg: Config, f: WeeklyFacts, opts: { force?: boolean } = {}): Promise<{ messageId: string; to: string[]; skipped: boolean }> {
  const e = cfg.email;
  if (!e.host || e.to.length === 0) throw new SentraError('ERR_CONFIG_INVALID', 'email.host and email.to are needed to send reports', 'config');
  if (!opts.force && alreadySent(cfg.state_dir, f.period.label)) return { messageId: '', to: e.to, skipped: true };
  const transport = nodemailer.createTransport({
    host: e.host, port: e.port, secure: e.security === 'tls', requireTLS: e.security === 'starttls', ignoreTLS: e.security === 'none',
    connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000,
    ...(e.credentials_file ? { auth: credentials(e.credentials_file) } : {}),
  });
  try {
    const info = await transport.sendMail({
      from: e.from, to: e.to, subject: subject(cfg, f),
      text: render('weekly', 'text', f), html: render('weekly', 'html', f),
      headers: { 'X-Sentra-Week': f.period.label },
    });
    const rec: SentRecord = { week: f.period.label, hosts: f.hosts, sent_at: nowDate().toISOString(), message_id: info.messageId, to: e.to };
    appendDurably(sentPath(cfg.state_dir), `${JSON.stringify(rec)}\n`);
    return { messageId: info.messageId, to: e.to, skipped: false };
  } finally {
    transport.close();
  }
}
