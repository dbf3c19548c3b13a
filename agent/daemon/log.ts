// agent/daemon/log.ts: structured log lines on stdout (journald stores them with the unit), one JSON
// object per line, and a limiter so a flood of one warning becomes one line per interval with a count.
// Every line passes through redact(): no secret reaches the journal. Under systemd each line starts with
// its syslog priority (`<4>` for a warning), which journald turns into the entry's PRIORITY, so
// `journalctl -u sentra -p warning` shows only what needs a look. Lines below the configured level
// (`log_level`, or SENTRA_LOG_LEVEL) are not written; the level can change while the agent runs (SIGHUP).
import { fstatSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { nowDate } from '../clock.js';
import { redact } from '../redact.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export type LogFn = (level: Level, msg: string, fields?: Record<string, unknown>) => void;

/** syslog priorities (sd-daemon.h): error 3, warning 4, info 6, debug 7. */
export const PRIORITY: Record<Level, number> = { error: 3, warn: 4, info: 6, debug: 7 };
export const LEVELS = Object.keys(PRIORITY) as Level[];

export interface Logger extends LogFn {
  level: Level;
  setLevel(level: Level): void;
}

/** True when this stream is the journal's: systemd names it in JOURNAL_STREAM as device:inode. */
export function isJournalStream(fd: number, env: NodeJS.ProcessEnv = process.env): boolean {
  const want = env.JOURNAL_STREAM;
  if (!want) return false;
  try {
    const st = fstatSync(fd);
    return want === `${st.dev}:${st.ino}`;
  } catch {
    return false;
  }
}

export function isLevel(s: unknown): s is Level {
  return typeof s === 'string' && (LEVELS as string[]).includes(s);
}

export function jsonLogger(stream: NodeJS.WritableStream = process.stdout,
  opts: { level?: Level; priorityPrefix?: boolean } = {}): Logger {
  const prefix = opts.priorityPrefix ?? (stream === process.stdout && isJournalStream(1));
  const log = ((level, msg, fields) => {
    if (PRIORITY[level] > PRIORITY[log.level]) return;
    stream.write(`${prefix ? `<${PRIORITY[level]}>` : ''}${redact(JSON.stringify({ ts: nowDate().toISOString(), level, msg, ...fields }))}\n`);
  }) as Logger;
  log.level = opts.level ?? 'info';
  log.setLevel = (level) => { log.level = level; };
  return log;
}

/** Logs the first occurrence of a key at once, then at most one summary per interval with the count. */
export class RateLimited {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly log: LogFn, private readonly intervalMs = 60_000) {}

  warn(key: string, msg: string, fields?: Record<string, unknown>, at = performance.now()): void {
    const l = this.last.get(key);
    if (l && at - l.at < this.intervalMs) {
      l.suppressed++;
      return;
    }
    this.log('warn', msg, { ...fields, ...(l?.suppressed ? { similar_since_last: l.suppressed } : {}) });
    this.last.set(key, { at, suppressed: 0 });
  }
}
