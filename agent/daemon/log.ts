// agent/daemon/log.ts: structured log lines on stdout (journald stores them with the unit), one JSON
// object per line, and a limiter so a flood of one warning becomes one line per interval with a count.
// Every line passes through redact(): no secret reaches the journal.
import { performance } from 'node:perf_hooks';
import { nowDate } from '../clock.js';
import { redact } from '../redact.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export type LogFn = (level: Level, msg: string, fields?: Record<string, unknown>) => void;

export function jsonLogger(stream: NodeJS.WritableStream = process.stdout): LogFn {
  return (level, msg, fields) => {
    stream.write(`${redact(JSON.stringify({ ts: nowDate().toISOString(), level, msg, ...fields }))}\n`);
  };
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
