// agent/sources/journald-source.ts: follows the journal through a `journalctl --follow --output=json` child,
// filtered to the identifiers the rules know and the auth facilities. Resumes after the persisted cursor;
// the seek is verified (a cursor whose entry was vacuumed away makes journalctl start elsewhere silently),
// and when the cursor is gone it falls back to the last entry's time, bounded to a maximum catch-up window.
// If journalctl exits, it is restarted with exponential back-off.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { RawLine } from '../model.js';
import { LineSplitter } from './read-lines.js';
import { drop, newStats, type Deliver, type JournalCheckpoint, type LiveSource } from './source.js';
import { now } from '../clock.js';
import { performance } from 'node:perf_hooks';

export interface JournaldOptions {
  journalctl: string;
  /** Read these journal files or this directory instead of the system journal (tests, containers). */
  directory?: string;
  files?: string[];
  identifiers: string[];
  /** syslog facilities to include whatever the identifier: 4 auth, 10 authpriv. */
  facilities: number[];
  maxLineBytes: number;
  /** With no checkpoint: how far back to read first. */
  initialBackfillHours: number;
  /** With a vanished cursor: the most to read back from the last entry's time. */
  maxCatchupHours: number;
  /** Leave out the kernel's audit records (audit.log is read as a file instead, so each is read once). */
  skipAuditTransport?: boolean;
  log?: (level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>) => void;
}

/** Reads one string field of a journal JSON line without parsing the whole entry (the parser does that). */
function field(line: string, name: string): string | undefined {
  const key = `"${name}":"`;
  const at = line.indexOf(key);
  if (at === -1) return undefined;
  const end = line.indexOf('"', at + key.length);
  return end === -1 ? undefined : line.slice(at + key.length, end);
}

export class JournaldSource implements LiveSource {
  readonly name = 'journald';
  readonly stats = newStats();
  private running = false;
  private child: ChildProcess | undefined;
  private done: Promise<void> = Promise.resolve();
  private cursor: string | null;
  private realtimeUs: number | null;
  /** After a fallback to --since: entries up to this time were read before and are skipped. */
  private skipUpToUs = -1;

  constructor(checkpoint: JournalCheckpoint | undefined, private readonly opts: JournaldOptions) {
    this.cursor = checkpoint?.cursor ?? null;
    this.realtimeUs = checkpoint?.realtime_us ?? null;
  }

  start(deliver: Deliver): Promise<void> {
    this.running = true;
    this.done = this.loop(deliver);
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.child?.kill('SIGTERM');
    await this.done;
    this.stats.state = 'stopped';
  }

  private baseArgs(): string[] {
    const a = ['--output=json', '--no-pager', '--quiet'];
    if (this.opts.directory) a.push(`--directory=${this.opts.directory}`);
    for (const f of this.opts.files ?? []) a.push(`--file=${f}`);
    return a;
  }

  private matches(): string[] {
    const m = this.opts.facilities.map((f) => `SYSLOG_FACILITY=${f}`);
    if (this.opts.identifiers.length) m.push('+', ...this.opts.identifiers.map((i) => `SYSLOG_IDENTIFIER=${i}`));
    return m;
  }

  /** Whether the persisted cursor still names an entry in the journal. */
  private cursorExists(cursor: string): boolean {
    const r = spawnSync(this.opts.journalctl, [...this.baseArgs(), `--cursor=${cursor}`, '-n', '1'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) return false;
    return field(r.stdout.split('\n')[0] ?? '', '__CURSOR') === cursor;
  }

  private positionArgs(): string[] {
    const hoursAgo = (h: number): number => Math.floor(now() / 1000 - h * 3600);
    if (this.cursor !== null) {
      if (this.cursorExists(this.cursor)) return [`--after-cursor=${this.cursor}`];
      const last = this.realtimeUs === null ? 0 : Math.floor(this.realtimeUs / 1e6);
      const since = Math.max(last, hoursAgo(this.opts.maxCatchupHours));
      drop(this.stats, 'cursor-gone');
      this.skipUpToUs = this.realtimeUs ?? -1;
      this.opts.log?.('warn', `the journal no longer has the saved position; reading from ${new Date(since * 1000).toISOString()}`
        + (since > last ? ` (catch-up is limited to ${this.opts.maxCatchupHours} hours; older entries are skipped)` : ''));
      return [`--since=@${since}`];
    }
    return [`--since=@${hoursAgo(this.opts.initialBackfillHours)}`];
  }

  private async loop(deliver: Deliver): Promise<void> {
    let backoff = 500;
    while (this.running) {
      const started = performance.now();
      const stderr: string[] = [];
      const args = [...this.baseArgs(), '--follow', ...this.positionArgs(), ...this.matches()];
      const child = spawn(this.opts.journalctl, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      const exited = new Promise<number | null>((resolve) => {
        child.on('error', (err) => { stderr.push(err.message); resolve(null); });
        child.on('close', (code) => resolve(code));
      });
      child.stderr!.setEncoding('utf8').on('data', (s: string) => { if (stderr.length < 20) stderr.push(s.trim()); });
      this.stats.state = 'following';
      try {
        await this.pump(child, deliver);
      } catch (err) {
        stderr.push((err as Error).message);
      }
      const code = await exited;
      if (!this.running) return;
      this.stats.restarts++;
      this.stats.state = 'waiting';
      this.stats.detail = `journalctl exited (${code ?? 'failed to start'}): ${stderr.join(' ').slice(0, 300)}`;
      this.opts.log?.('warn', `journalctl stopped; restarting in ${backoff} ms`, { code, stderr: stderr.join(' ').slice(0, 500) });
      await new Promise((r) => setTimeout(r, backoff));
      backoff = performance.now() - started > 60_000 ? 500 : Math.min(backoff * 2, 60_000);
    }
  }

  private async pump(child: ChildProcess, deliver: Deliver): Promise<void> {
    const decoder = new StringDecoder('utf8');
    const splitter = new LineSplitter('journal', this.opts.maxLineBytes);
    for await (const chunk of child.stdout!) {
      this.stats.bytes += (chunk as Buffer).length;
      const lines: RawLine[] = [];
      splitter.push(decoder.write(chunk as Buffer), lines);
      if (lines.length === 0) continue;
      const batch: RawLine[] = [];
      for (const l of lines) {
        const t = Number(field(l.text, '__REALTIME_TIMESTAMP'));
        if (Number.isFinite(t) && t <= this.skipUpToUs) {
          drop(this.stats, 'already-read');
          continue;
        }
        if (Number.isFinite(t)) this.realtimeUs = t;
        if (this.opts.skipAuditTransport && l.text.includes('"_TRANSPORT":"audit"')) {
          drop(this.stats, 'audit-read-from-file');
          continue;
        }
        if (l.truncated) drop(this.stats, 'overlong-cut');
        const cursor = field(l.text, '__CURSOR');
        if (cursor !== undefined) {
          this.cursor = cursor;
          l.cursor = cursor;
          // The entry's sequence number names it in evidence (`journal:<seqnum>`) across restarts.
          const seq = /;i=([0-9a-f]+);/.exec(cursor)?.[1];
          if (seq !== undefined) l.lineNo = parseInt(seq, 16);
        }
        batch.push(l);
      }
      if (batch.length === 0) continue;
      lines.length = 0;
      lines.push(...batch);
      this.stats.lines += lines.length;
      this.stats.last_line_at = now();
      if (this.realtimeUs !== null) this.stats.lag = { seconds: Math.max(0, Math.round(now() / 1000 - this.realtimeUs / 1e6)) };
      await deliver(lines, { kind: 'journald', cursor: this.cursor, realtime_us: this.realtimeUs });
      if (!this.running) break;
    }
  }
}
