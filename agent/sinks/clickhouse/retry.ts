// agent/sinks/clickhouse/retry.ts: when to try ClickHouse again. Exponential back-off with jitter (half
// fixed, half random, so a fleet that lost the server together does not return together), honoured
// whatever the host is doing: new signals are spooled, they do not cut the wait short. While the server
// is unreachable a cheap probe (GET /ping) runs every probe_seconds, so a recovered server is used within
// seconds; a server that answers but refuses inserts waits out the whole back-off.
import { performance } from 'node:perf_hooks';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;

  constructor(private readonly opts: BackoffOptions) {}

  /** The next wait: base·2^n capped at max, of which a random half. */
  next(): number {
    const ceiling = Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** this.attempt);
    this.attempt++;
    const r = (this.opts.random ?? Math.random)();
    return Math.round(ceiling / 2 + (ceiling / 2) * r);
  }

  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}

/**
 * Waits `ms`, running `probe` every `probeMs` when given; resolves early (true) when the probe succeeds or
 * `stopped()` turns true. New work arriving does not end the wait.
 */
export async function waitWithProbe(ms: number, probeMs: number, probe: (() => Promise<boolean>) | null,
  stopped: () => boolean): Promise<boolean> {
  const until = performance.now() + ms;
  let nextProbe = performance.now() + probeMs;
  while (!stopped()) {
    const now = performance.now();
    if (now >= until) return false;
    if (probe && now >= nextProbe) {
      if (await probe().catch(() => false)) return true;
      nextProbe = performance.now() + probeMs;
      continue;
    }
    // Short steps, so that a stop is seen at once.
    await new Promise((r) => setTimeout(r, Math.min(until - now, probe ? nextProbe - now : until - now, 200)));
  }
  return true;
}
