import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { RawLine } from '../../agent/model.js';
import { LineSplitter, readLines } from '../../agent/sources/read-lines.js';

async function all(path: string, opts: Parameters<typeof readLines>[1] = {}): Promise<RawLine[]> {
  const out: RawLine[] = [];
  for await (const b of readLines(path, opts)) out.push(...b);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'sentra-read-'));
const file = (name: string, data: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

describe('readLines', () => {
  it('strips CRLF and keeps a last line that has no newline', async () => {
    const lines = await all(file('crlf.log', 'a\r\nb\r\nc'));
    expect(lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
    expect(lines.map((l) => l.lineNo)).toEqual([1, 2, 3]);
  });

  it('reads gzip-compressed files by their magic number, whatever the name', async () => {
    const lines = await all(file('rotated.2', gzipSync('one\ntwo\n')));
    expect(lines.map((l) => l.text)).toEqual(['one', 'two']);
  });

  it('reads concatenated gzip members (logrotate plus appends)', async () => {
    const lines = await all(file('multi.gz', Buffer.concat([gzipSync('a\n'), gzipSync('b\n')])));
    expect(lines.map((l) => l.text)).toEqual(['a', 'b']);
  });

  it('reads standard input when the path is -', async () => {
    const lines = await all('-', { stdin: Readable.from([Buffer.from('x\ny\n')]) });
    expect(lines.map((l) => `${l.file}:${l.lineNo}:${l.text}`)).toEqual(['-:1:x', '-:2:y']);
  });

  it('replaces invalid UTF-8 and keeps NUL bytes without failing', async () => {
    const lines = await all(file('bad.log', Buffer.from([0x61, 0xff, 0xfe, 0x00, 0x62, 0x0a, 0x63, 0x0a])));
    expect(lines).toHaveLength(2);
    expect(lines[0]!.text).toBe('a\uFFFD\uFFFD\u0000b');
  });

  it('decodes a multi-byte character split across two chunks', () => {
    const s = new LineSplitter('f', 1000);
    const out: RawLine[] = [];
    s.push('caf', out);
    s.push('é\n', out);
    expect(out[0]!.text).toBe('café');
  });

  it('cuts lines over the limit, drops their rest and goes on with the next line', async () => {
    const long = 'x'.repeat(200_000);
    const lines = await all(file('long.log', `first\n${long}\nlast\n`), { maxLineBytes: 65_536 });
    expect(lines.map((l) => l.text.length)).toEqual([5, 65_536, 4]);
    expect(lines[1]!.truncated).toBe(true);
    expect(lines[2]!.lineNo).toBe(3);
  });

  it('handles an overlong line that arrives in many small chunks', () => {
    const s = new LineSplitter('f', 10);
    const out: RawLine[] = [];
    for (let i = 0; i < 100; i++) s.push('abcdefgh', out);
    s.push('\nnext\n', out);
    s.end(out);
    expect(out.map((l) => l.text)).toEqual(['abcdefghab', 'next']);
    expect(out[0]!.truncated).toBe(true);
  });
});
