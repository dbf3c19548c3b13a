// agent/sinks/notify/notifier.ts: priority notifications. A signal is sent when it is not suppressed, its
// band reaches notify.min_band or it needs action, and its last event is recent (a replay after downtime
// does not page anyone about old activity). Each id is sent once unless its band rises; one (kind, entity)
// is sent at most once per cooldown; past max_per_minute the rest go out together as a digest. Deliveries
// are retried with exponential back-off and every outcome is recorded (notifications.jsonl). The Slack
// URL and the webhook secret are secret files (agent/config/secret-file.ts): a missing, empty or
// world-readable one stops the agent at start with ERR_SECRET_FILE, and neither is ever logged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/load.js';
import { readSecretFile } from '../../config/secret-file.js';
import type { LogFn } from '../../daemon/log.js';
import type { Band, Incident, Signal } from '../../model.js';
import { incidentNotice, incidentSlackBody, incidentWebhookBody } from './incident-messages.js';
import { redact } from '../../redact.js';
import { appendDurably, readJsonLines, writeFileAtomic } from '../../store/atomic.js';
import { describeError, post, tlsMaterial, warnPlainHttpOnce, type TlsMaterial } from '../transport.js';
import { signature, slackBody, webhookBody } from './messages.js';
import { nowDate, now as clockNow } from '../../clock.js';

const RANK: Record<Band, number> = { info: 0, low: 1, medium: 2, high: 3 };

interface Memory {
  /** The band each signal id was last sent at. */
  sent: Record<string, { band: Band; at: number; size?: number }>;
  /** When each (kind, entity) was last sent. */
  cooldown: Record<string, number>;
}

export interface Delivery {
  at: string;
  target: 'slack' | 'webhook';
  type: 'signal' | 'digest' | 'incident';
  signal_ids: string[];
  outcome: 'delivered' | 'failed' | 'skipped';
  attempts: number;
  error?: string;
}

interface Target {
  name: 'slack' | 'webhook';
  url: string;
  secret?: string;
  tls: TlsMaterial;
}

export class Notifier {
  private readonly memoryPath: string;
  private readonly logPath: string;
  private memory: Memory;
  private readonly minuteSent: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly targets: Target[];

  constructor(private readonly cfg: Config['notify'], stateDir: string, private readonly log: LogFn) {
    this.memoryPath = join(stateDir, 'notified.json');
    this.logPath = join(stateDir, 'notifications.jsonl');
    try {
      this.memory = JSON.parse(readFileSync(this.memoryPath, 'utf8')) as Memory;
    } catch {
      this.memory = { sent: {}, cooldown: {} };
    }
    this.targets = [];
    const tls = tlsMaterial(cfg, 'notify');
    if (cfg.slack_webhook_url_file) {
      this.targets.push({ name: 'slack', url: readSecretFile(cfg.slack_webhook_url_file, 'the Slack webhook URL', 'notify.slack_webhook_url_file'), tls });
    }
    if (cfg.webhook_url) {
      const secret = cfg.webhook_secret_file ? readSecretFile(cfg.webhook_secret_file, 'the webhook secret', 'notify.webhook_secret_file') : undefined;
      if (!secret) log('warn', 'notify.webhook_url is set without notify.webhook_secret_file: webhooks are sent unsigned');
      warnPlainHttpOnce(cfg.webhook_url, 'notify.webhook_url', log);
      this.targets.push({ name: 'webhook', url: cfg.webhook_url, ...(secret ? { secret } : {}), tls });
    }
  }

  /** Decides what to send from signals that just changed; sending happens in the background, in order. */
  consider(signals: readonly Signal[], now = clockNow()): { send: Signal[]; digest: Signal[] } {
    const send: Signal[] = [];
    const digest: Signal[] = [];
    for (const s of [...signals].sort((a, b) => b.risk - a.risk)) {
      if (s.suppressed) continue;
      // A signal that belongs to an incident is told by the incident's message (considerIncidents).
      if (s.incident_id) continue;
      if (RANK[s.band] < RANK[this.cfg.min_band] && !s.action_required) continue;
      if (now - Date.parse(s.last_seen) > this.cfg.max_age_minutes * 60_000) continue;
      const before = this.memory.sent[s.id];
      if (before && RANK[s.band] <= RANK[before.band]) continue;
      const key = `${s.kind}|${String(s.entities.user ?? s.entities.src_ip ?? s.entities.target_user ?? '')}`;
      const last = this.memory.cooldown[key];
      const rose = before !== undefined;
      if (!rose && last !== undefined && now - last < this.cfg.cooldown_minutes * 60_000) {
        this.memory.sent[s.id] = { band: s.band, at: now };
        this.record({ at: new Date(now).toISOString(), target: this.targets[0]?.name ?? 'webhook', type: 'signal', signal_ids: [s.id], outcome: 'skipped', attempts: 0, error: `${key} was notified less than ${this.cfg.cooldown_minutes} minutes ago` });
        continue;
      }
      while (this.minuteSent.length && now - this.minuteSent[0]! > 60_000) this.minuteSent.shift();
      if (this.minuteSent.length < this.cfg.max_per_minute) {
        this.minuteSent.push(now);
        send.push(s);
      } else digest.push(s);
      this.memory.sent[s.id] = { band: s.band, at: now };
      this.memory.cooldown[key] = now;
    }
    if (send.length || digest.length) {
      this.prune(now);
      writeFileAtomic(this.memoryPath, JSON.stringify(this.memory));
      for (const s of send) this.deliverAll('signal', [s]);
      if (digest.length) this.deliverAll('digest', digest);
    }
    return { send, digest };
  }

  /** One message per incident; another when it grows or its band rises (see incident-messages.ts). */
  considerIncidents(incidents: readonly Incident[], now = clockNow()): Incident[] {
    const sent: Incident[] = [];
    for (const i of incidents) {
      const key = `incident:${i.id}`;
      const notice = incidentNotice(i, this.memory.sent[key], this.cfg, now);
      if (!notice) continue;
      this.memory.sent[key] = { band: i.band, at: now, size: i.signals.length };
      sent.push(i);
      for (const t of this.targets) {
        this.queue = this.queue.then(() => this.deliver(t, 'incident', i.signals, (at) => (t.name === 'slack'
          ? incidentSlackBody(i, notice === 'update') : incidentWebhookBody(i, notice === 'update', at))));
      }
    }
    if (sent.length) writeFileAtomic(this.memoryPath, JSON.stringify(this.memory));
    return sent;
  }

  /** Resolves when every queued delivery has finished (delivered or given up). */
  idle(): Promise<void> {
    return this.queue;
  }

  deliveries(): Delivery[] {
    return readJsonLines<Delivery>(this.logPath);
  }

  private deliverAll(type: 'signal' | 'digest', signals: Signal[]): void {
    for (const t of this.targets) {
      this.queue = this.queue.then(() => this.deliver(t, type, signals.map((s) => s.id),
        (at) => (t.name === 'slack' ? slackBody(type, signals) : webhookBody(type, signals, at))));
    }
  }

  private async deliver(t: Target, type: Delivery['type'], ids: string[], bodyAt: (now: Date) => string): Promise<void> {
    const now = nowDate();
    const body = bodyAt(now);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'sentra' };
    if (t.name === 'webhook') {
      const ts = Math.floor(now.getTime() / 1000);
      headers['x-sentra-timestamp'] = String(ts);
      if (t.secret) headers['x-sentra-signature'] = signature(t.secret, ts, body);
    }
    let error = '';
    for (let attempt = 1; attempt <= this.cfg.retries + 1; attempt++) {
      try {
        const status = await post(t.url, body, headers, t.tls, 10_000);
        if (status >= 200 && status < 300) {
          this.record({ at: now.toISOString(), target: t.name, type, signal_ids: ids, outcome: 'delivered', attempts: attempt });
          return;
        }
        error = `HTTP ${status}`;
      } catch (err) {
        error = describeError(err);
      }
      if (attempt <= this.cfg.retries) await new Promise((r) => setTimeout(r, this.cfg.retry_base_ms * 2 ** (attempt - 1)));
    }
    this.log('warn', `notification to ${t.name} failed after ${this.cfg.retries + 1} attempts: ${error}`, { signals: ids });
    this.record({ at: now.toISOString(), target: t.name, type, signal_ids: ids, outcome: 'failed', attempts: this.cfg.retries + 1, error });
  }

  private record(d: Delivery): void {
    appendDurably(this.logPath, `${redact(JSON.stringify(d))}\n`);
  }

  /** Forgets sent ids and cooldowns older than 30 days: their signals' windows closed long ago. */
  private prune(now: number): void {
    const old = now - 30 * 86_400_000;
    for (const [id, v] of Object.entries(this.memory.sent)) if (v.at < old) delete this.memory.sent[id];
    for (const [k, at] of Object.entries(this.memory.cooldown)) if (at < old) delete this.memory.cooldown[k];
  }
}
