// agent/sinks/output.ts: a buffered writer for stdout that respects back-pressure, so printing a million
// events neither blocks on each line nor holds them all in memory.
import type { Writable } from 'node:stream';

export class Output {
  private parts: string[] = [];
  private size = 0;

  /** `escape` is applied to everything written (terminal() for text meant for people). */
  constructor(private readonly stream: Writable = process.stdout, private readonly escape: (s: string) => string = (s) => s) {}

  write(text: string): void {
    text = this.escape(text);
    this.parts.push(text);
    this.size += text.length;
  }

  /** Hands what is buffered to the stream; waits when the stream asks for a pause. */
  async flush(force = false): Promise<void> {
    if (this.parts.length === 0 || (!force && this.size < 1 << 16)) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => { this.stream.off('error', onError); resolve(); };
        const onError = (err: Error): void => { this.stream.off('drain', onDrain); reject(err); };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
  }
}
