// agent/sinks/notify/outbox.ts: one durable queue per destination (Slack, webhook), so a message is on disk
// before any attempt and leaves only once delivered or given up, and a failing webhook never delays Slack.
// Built like the ClickHouse spool: an append-only file of messages and an ack file with how many are done.
// A crash, SIGKILL or SIGTERM mid-retry keeps the message; a restart sends it (at least once). Back-off
// doubles from notify.retry_base_ms up to an hour; after notify.retries the message is given up, which the
// delivery log and status record.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendDurably, ensureDir, readJsonLines, writeFileAtomic } from '../../store/atomic.js';

export interface OutboxMessage {
  seq: number;
  type: 'signal' | 'digest' | 'incident';
  signal_ids: string[];
  /** The same for the same signal versions, however often it is sent: receivers drop repeats by it. */
  key: string;
  /** The request body, rendered when the message was queued. */
  body: string;
  queued_at: string;
}

export const MAX_BACKOFF_MS = 3_600_000;

export class Outbox {
  private readonly file: string;
  private readonly ackFile: string;
  private done: number;
  private messages: OutboxMessage[];

  constructor(stateDir: string, readonly target: string) {
    const dir = join(stateDir, 'outbox');
    this.file = join(dir, `${target}.jsonl`);
    this.ackFile = join(dir, `${target}.ack`);
    ensureDir(dir);
    this.messages = readJsonLines<OutboxMessage>(this.file);
    this.done = existsSync(this.ackFile) ? Number(readFileSync(this.ackFile, 'utf8').trim()) || 0 : 0;
  }

  /** Messages not yet delivered or given up, oldest first. */
  pending(): OutboxMessage[] {
    return this.messages.filter((m) => m.seq > this.done);
  }

  add(type: OutboxMessage['type'], signalIds: string[], key: string, body: string, at: Date): OutboxMessage {
    const seq = Math.max(this.done, this.messages.at(-1)?.seq ?? 0) + 1;
    const m: OutboxMessage = { seq, type, signal_ids: signalIds, key, body, queued_at: at.toISOString() };
    appendDurably(this.file, `${JSON.stringify(m)}\n`);
    this.messages.push(m);
    return m;
  }

  /** The message is delivered or given up: it never goes again. Compacts the file once all are done. */
  finish(seq: number): void {
    this.done = Math.max(this.done, seq);
    writeFileAtomic(this.ackFile, `${this.done}\n`);
    if (this.pending().length === 0 && this.messages.length > 100) {
      // Everything is done: start the file afresh (numbering goes on from the ack).
      writeFileAtomic(this.file, '');
      this.messages = [];
    }
  }
}

/** The wait before attempt `n + 1` (n ≥ 1): doubling from `baseMs`, never more than an hour. */
export function backoffMs(baseMs: number, attempt: number): number {
  return Math.min(baseMs * 2 ** Math.min(attempt - 1, 30), MAX_BACKOFF_MS);
}
