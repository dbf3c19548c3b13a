// agent/sinks/notify/notifier.ts: priority notifications. A signal is sent when it is not suppressed, its
// band reaches notify.min_band or it needs action, and its last event is recent (a replay after downtime
// does not page anyone about old activity). Each id is sent once unless its band rises; one (kind, entity)
// is sent at most once per cooldown; past max_per_minute the rest go out together as a digest. Each message
// goes into a durable outbox per destination first (outbox.ts) and is marked sent only once delivered; retries
// back off up to an hour, each destination on its own, and every outcome is recorded (notifications.jsonl). The Slack
// URL and the webhook secret are secret files (agent/config/secret-file.ts): a missing, empty or
// world-readable one stops the agent at start with ERR_SECRET_FILE, and neither is ever logged.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/load.js';
import { readSecretFile } from '../../config/secret-file.js';
import type { LogFn } from '../../daemon/log.js';
import { BAND_RANK, type Band, type Incident, type Signal } from '../../model.js';
import { incidentNotice, incidentSlackBody, incidentWebhookBody } from './incident-messages.js';
import { redact } from '../../redact.js';
import { appendDurably, readJsonLines, writeFileAtomic } from '../../store/atomic.js';
import { describeError, post, tlsMaterial, warnPlainHttpOnce, type TlsMaterial } from '../transport.js';
import { signature, slackBody, webhookBody } from './messages.js';
import { backoffMs, Outbox, type OutboxMessage } from './outbox.js';
import { nowDate, now as clockNow } from '../../clock.js';


/** Signal ids with the version each was sent at (count and band): a receiver drops a message it has seen. */
export function idempotencyKey(signals: readonly Signal[]): string {
  const what = signals.map((s) => `${s.id}:${s.count}:${s.band}`).sort().join(',');
  return createHash('sha256').update(what).digest('hex').slice(0, 32);
}

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
  outbox: Outbox;
  worker: Promise<void>;
  busy: boolean;
  wake?: () => void;
}

export interface NotifyStats {
  target: 'slack' | 'webhook';
  pending: number;
  delivered: number;
  given_up: number;
  last_error: string | null;
}

export class Notifier {
  private readonly memoryPath: string;
  private readonly logPath: string;
  private memory: Memory;
  private readonly minuteSent: number[] = [];
  private readonly targets: Target[];
  private stopping = false;
  private readonly counts = new Map<string, NotifyStats>();

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
      this.targets.push({ name: 'slack', url: readSecretFile(cfg.slack_webhook_url_file, 'the Slack webhook URL', 'notify.slack_webhook_url_file'), tls,
        outbox: new Outbox(stateDir, 'slack'), worker: Promise.resolve(), busy: false });
    }
    if (cfg.webhook_url) {
      const secret = cfg.webhook_secret_file ? readSecretFile(cfg.webhook_secret_file, 'the webhook secret', 'notify.webhook_secret_file') : undefined;
      if (!secret) log('warn', 'notify.webhook_url is set without notify.webhook_secret_file: webhooks are sent unsigned');
      warnPlainHttpOnce(cfg.webhook_url, 'notify.webhook_url', log);
      this.targets.push({ name: 'webhook', url: cfg.webhook_url, ...(secret ? { secret } : {}), tls,
        outbox: new Outbox(stateDir, 'webhook'), worker: Promise.resolve(), busy: false });
    }
    for (const t of this.targets) {
      this.counts.set(t.name, { target: t.name, pending: t.outbox.pending().length, delivered: 0, given_up: 0, last_error: null });
      // Messages a previous run queued and did not finish go first.
      if (t.outbox.pending().length) this.kick(t);
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
      if (BAND_RANK[s.band] < BAND_RANK[this.cfg.min_band] && !s.action_required) continue;
      if (now - Date.parse(s.last_seen) > this.cfg.max_age_minutes * 60_000) continue;
      const before = this.memory.sent[s.id];
      if (before && BAND_RANK[s.band] <= BAND_RANK[before.band]) continue;
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
      // Into the outboxes before the memory says "sent": a crash in between sends twice, never not at all.
      for (const s of send) this.deliverAll('signal', [s], now);
      if (digest.length) this.deliverAll('digest', digest, now);
      this.prune(now);
      writeFileAtomic(this.memoryPath, JSON.stringify(this.memory));
    }
    return { send, digest };
  }

  /** One message per incident; another when it grows or its band rises (see incident-messages.ts). Same outbox. */
  considerIncidents(incidents: readonly Incident[], now = clockNow()): Incident[] {
    const sent: Incident[] = [];
    const at = new Date(now);
    for (const i of incidents) {
      const key = `incident:${i.id}`;
      const notice = incidentNotice(i, this.memory.sent[key], this.cfg, now);
      if (!notice) continue;
      const idem = createHash('sha256').update(`${i.id}:${i.signals.length}:${i.band}`).digest('hex').slice(0, 32);
      for (const t of this.targets) {
        const body = t.name === 'slack' ? incidentSlackBody(i, notice === 'update') : incidentWebhookBody(i, notice === 'update', at);
        t.outbox.add('incident', i.signals, idem, body, at);
        this.kick(t);
      }
      this.memory.sent[key] = { band: i.band, at: now, size: i.signals.length };
      sent.push(i);
    }
    if (sent.length) writeFileAtomic(this.memoryPath, JSON.stringify(this.memory));
    return sent;
  }

  /** Resolves when every queued message has finished (delivered or given up), or the notifier stopped. */
  async idle(): Promise<void> {
    while (this.targets.some((t) => t.busy)) await Promise.all(this.targets.map((t) => t.worker));
  }

  /** Ends the retry loops at once; what is still queued stays in the outboxes for the next start. */
  stop(): void {
    this.stopping = true;
    for (const t of this.targets) t.wake?.();
  }

  stats(): NotifyStats[] {
    return this.targets.map((t) => ({ ...this.counts.get(t.name)!, pending: t.outbox.pending().length }));
  }

  deliveries(): Delivery[] {
    return readJsonLines<Delivery>(this.logPath);
  }

  private deliverAll(type: 'signal' | 'digest', signals: Signal[], now: number): void {
    const at = new Date(now);
    for (const t of this.targets) {
      const body = t.name === 'slack' ? slackBody(type, signals) : webhookBody(type, signals, at);
      t.outbox.add(type, signals.map((s) => s.id), idempotencyKey(signals), body, at);
      this.kick(t);
    }
  }

  /** Starts the destination's worker unless it runs: one at a time per destination, in order. */
  private kick(t: Target): void {
    if (t.busy || this.stopping) return;
    t.busy = true;
    t.worker = this.work(t).finally(() => { t.busy = false; });
  }

  private async work(t: Target): Promise<void> {
    for (let m = t.outbox.pending()[0]; m && !this.stopping; m = t.outbox.pending()[0]) await this.deliver(t, m);
  }

  private sleep(t: Target, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      t.wake = () => { clearTimeout(timer); resolve(); };
    });
  }

  private async deliver(t: Target, m: OutboxMessage): Promise<void> {
    const c = this.counts.get(t.name)!;
    let error = '';
    for (let attempt = 1; attempt <= this.cfg.retries + 1; attempt++) {
      const now = nowDate();
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'sentra' };
      if (t.name === 'webhook') {
        // Signed when sent, so the receiver's replay window holds for a message that waited.
        const ts = Math.floor(now.getTime() / 1000);
        headers['x-sentra-timestamp'] = String(ts);
        if (t.secret) headers['x-sentra-signature'] = signature(t.secret, ts, m.body);
        if (m.key) headers['idempotency-key'] = m.key;
      }
      try {
        const status = await post(t.url, m.body, headers, t.tls, 10_000);
        if (status >= 200 && status < 300) {
          this.record({ at: now.toISOString(), target: t.name, type: m.type, signal_ids: m.signal_ids, outcome: 'delivered', attempts: attempt });
          t.outbox.finish(m.seq);
          c.delivered++;
          c.last_error = null;
          return;
        }
        error = `HTTP ${status}`;
      } catch (err) {
        error = describeError(err);
      }
      c.last_error = error;
      if (attempt <= this.cfg.retries) {
        // Jitter (a random half) so many agents that lost one receiver do not retry in step.
        await this.sleep(t, backoffMs(this.cfg.retry_base_ms, attempt) * (0.5 + Math.random() / 2));
        if (this.stopping) return; // still queued: the next start sends it
      }
    }
    this.log('warn', `notification to ${t.name} given up after ${this.cfg.retries + 1} attempts: ${error}`, { signals: m.signal_ids });
    this.record({ at: nowDate().toISOString(), target: t.name, type: m.type, signal_ids: m.signal_ids, outcome: 'failed', attempts: this.cfg.retries + 1, error });
    t.outbox.finish(m.seq);
    c.given_up++;
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
