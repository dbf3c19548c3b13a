// agent/cli/progress.ts: a one-line progress display on a terminal for long scans; silent when piped.
import { performance } from 'node:perf_hooks';
export class Progress {
  private last = 0;
  private shown = false;
  private readonly enabled: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, enabled?: boolean) {
    this.enabled = enabled ?? (stream.isTTY === true && !process.env.CI);
  }

  update(text: () => string): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.last < 200) return;
    this.last = now;
    this.stream.write(`\r\x1b[K${text()}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
