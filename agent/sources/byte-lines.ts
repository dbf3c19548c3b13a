// agent/sources/byte-lines.ts: bytes → lines with exact byte offsets, for checkpoints a restart can resume
// from. Keeps at most maxLine bytes of a partial line; the rest of an overlong line is dropped and counted.
import { createHash } from 'node:crypto';

export interface ByteLine {
  text: string;
  truncated: boolean;
  /** 1-based line number within the file. */
  lineNo: number;
}

export const firstLineHash = (line: Buffer): string => createHash('sha256').update(line).digest('hex').slice(0, 32);

export class ByteLines {
  private carry: Buffer[] = [];
  private carryLen = 0;
  private skipping = false;
  /** File position just after the last complete line handed out. */
  offset: number;
  /** Hash of the first line of this file, once it has been seen. */
  firstLine: string | null;
  cut = 0;

  /** Lines handed out so far in this file, counting those before the start offset. */
  lines: number;

  constructor(startOffset: number, startLine: number, firstLine: string | null, private readonly maxLine: number) {
    this.offset = startOffset;
    this.lines = startLine;
    this.firstLine = firstLine;
  }

  push(buf: Buffer, out: ByteLine[]): void {
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      this.take(buf.subarray(start, nl));
      this.emit(1, out);
      start = nl + 1;
    }
    if (start < buf.length) this.take(buf.subarray(start));
  }

  /** Ends a file: a last line without a newline is still a line (its bytes count towards the offset). */
  finish(out: ByteLine[]): void {
    if (this.carryLen > 0 || this.skipping) this.emit(0, out);
  }

  private take(part: Buffer): void {
    if (part.length === 0) return;
    const room = this.maxLine - this.carryLen;
    if (room <= 0 || this.skipping) {
      this.skipping = true;
      this.pending += part.length;
      return;
    }
    if (part.length > room) {
      this.carry.push(part.subarray(0, room));
      this.carryLen += room;
      this.pending += part.length - room;
      this.skipping = true;
      return;
    }
    // Copy: the chunk buffer is reused by the stream once we return.
    this.carry.push(Buffer.from(part));
    this.carryLen += part.length;
  }

  /** Bytes of the current line beyond what is kept. */
  private pending = 0;

  private emit(newline: number, out: ByteLine[]): void {
    const bytes = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry, this.carryLen);
    const isFirst = this.offset === 0;
    this.offset += this.carryLen + this.pending + newline;
    if (isFirst && this.firstLine === null) this.firstLine = firstLineHash(bytes);
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 13) end--;
    out.push({ text: bytes.toString('utf8', 0, end), truncated: this.skipping, lineNo: ++this.lines });
    if (this.skipping) this.cut++;
    this.carry = [];
    this.carryLen = 0;
    this.pending = 0;
    this.skipping = false;
  }
}
