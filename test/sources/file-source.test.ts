// The file source against real files: live appends, both kinds of rotation, deletion and late creation,
// and restarts from a checkpoint (including a rotation while stopped) with no line lost or repeated.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSource } from '../../agent/sources/file-source.js';
import type { Checkpoint, FileCheckpoint } from '../../agent/sources/source.js';
import { waitFor } from '../helpers/wait.js';

const opts = { pollMs: 30, maxLineBytes: 65_536, startAt: 'beginning' as const };
let sources: FileSource[] = [];
afterEach(async () => {
  await Promise.all(sources.map((s) => s.stop()));
  sources = [];
});

function follow(path: string, cp?: FileCheckpoint): { lines: string[]; refs: string[]; last: () => FileCheckpoint; src: FileSource } {
  const lines: string[] = [];
  const refs: string[] = [];
  let last: Checkpoint | undefined;
  const src = new FileSource(path, cp, opts);
  sources.push(src);
  void src.start(async (batch, c) => {
    for (const l of batch) {
      lines.push(l.text);
      refs.push(`${l.lineNo}`);
    }
    last = c;
  });
  return { lines, refs, last: () => last as FileCheckpoint, src };
}

/** Follows `path` until `n` lines arrived, stops, and returns the checkpoint it stopped at. */
async function runOnce(path: string, n: number): Promise<FileCheckpoint> {
  const a = follow(path);
  await waitFor(() => a.lines.length === n, 'first run');
  await a.src.stop();
  return a.last();
}

const dir = (): string => mkdtempSync(join(tmpdir(), 'sentra-file-'));
const nums = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);
const write = (path: string, from: number, to: number): void => appendFileSync(path, nums(from, to).map((l) => `${l}\n`).join(''));

describe('FileSource', () => {
  it('reads what is there, then follows appends, with true line numbers', async () => {
    const p = join(dir(), 'auth.log');
    write(p, 1, 3);
    const f = follow(p);
    await waitFor(() => f.lines.length === 3, 'existing lines');
    write(p, 4, 5);
    await waitFor(() => f.lines.length === 5, 'appended lines');
    expect(f.lines).toEqual(nums(1, 5));
    expect(f.refs).toEqual(['1', '2', '3', '4', '5']);
    expect(f.last()).toMatchObject({ kind: 'file', offset: 35, line: 5 });
  });

  it('survives rename-and-create rotation, finishing the old file first', async () => {
    const d = dir();
    const p = join(d, 'auth.log');
    write(p, 1, 3);
    const f = follow(p);
    await waitFor(() => f.lines.length === 3, 'first lines');
    renameSync(p, join(d, 'auth.log.1'));
    write(join(d, 'auth.log.1'), 4, 5); // a writer that still has the old file open
    write(p, 6, 8);
    await waitFor(() => f.lines.length === 8, 'lines of both files');
    expect(f.lines).toEqual(nums(1, 8));
    expect(f.last()).toMatchObject({ line: 3 });
  });

  it('survives copytruncate', async () => {
    const p = join(dir(), 'auth.log');
    write(p, 1, 20);
    const f = follow(p);
    await waitFor(() => f.lines.length === 20, 'first lines');
    truncateSync(p, 0);
    await new Promise((r) => setTimeout(r, 100));
    write(p, 21, 22);
    await waitFor(() => f.lines.length === 22, 'lines after truncation');
    expect(f.lines.slice(20)).toEqual(nums(21, 22));
  });

  it('waits for a file that does not exist yet, and for one that is deleted and created again', async () => {
    const d = dir();
    const p = join(d, 'auth.log');
    const f = follow(p);
    await new Promise((r) => setTimeout(r, 100));
    expect(f.src.stats.state).toBe('waiting');
    write(p, 1, 2);
    await waitFor(() => f.lines.length === 2, 'lines of the late file');
    unlinkSync(p);
    await new Promise((r) => setTimeout(r, 400));
    write(p, 3, 4);
    await waitFor(() => f.lines.length === 4, 'lines of the re-created file', 15_000);
    expect(f.lines).toEqual(nums(1, 4));
  }, 30_000);

  it('resumes from a checkpoint without repeating or losing lines', async () => {
    const p = join(dir(), 'auth.log');
    write(p, 1, 5);
    const cp = await runOnce(p, 5);
    write(p, 6, 7);
    const b = follow(p, cp);
    await waitFor(() => b.lines.length === 2, 'second run');
    expect(b.lines).toEqual(nums(6, 7));
    expect(b.refs).toEqual(['6', '7']);
  });

  it('finishes a file rotated while stopped, found by its inode, then reads the new one', async () => {
    const d = dir();
    const p = join(d, 'auth.log');
    write(p, 1, 3);
    const cp = await runOnce(p, 3);
    write(p, 4, 5);
    renameSync(p, join(d, 'auth.log.1'));
    write(p, 6, 6);
    const b = follow(p, cp);
    await waitFor(() => b.lines.length === 3, 'second run');
    expect(b.lines).toEqual(nums(4, 6));
  });

  it('starts over when the file was truncated while stopped', async () => {
    const p = join(dir(), 'auth.log');
    write(p, 1, 3);
    const cp = await runOnce(p, 3);
    writeFileSync(p, 'new\n');
    const b = follow(p, cp);
    await waitFor(() => b.lines.length === 1, 'truncated file');
    expect(b.lines).toEqual(['new']);
  });

  it('reads a file replaced in place from the start, known by its first line though the inode is the same', async () => {
    const p = join(dir(), 'auth.log');
    write(p, 1, 2);
    const cp = await runOnce(p, 2);
    writeFileSync(p, `${nums(10, 13).join('\n')}\n`); // same inode, longer, different first line
    const b = follow(p, cp);
    await waitFor(() => b.lines.length === 4, 'replaced file');
    expect(b.lines).toEqual(nums(10, 13));
  });

  it('counts a rotated file it cannot find beside the log', async () => {
    const d = dir();
    const p = join(d, 'auth.log');
    write(p, 1, 3);
    const cp = await runOnce(p, 3);
    mkdirSync(join(d, 'archive'));
    renameSync(p, join(d, 'archive', 'old.log')); // kept (so its inode is not reused), but not beside the log
    write(p, 1, 1);
    const c = follow(p, cp);
    await waitFor(() => c.lines.length === 1, 'new file');
    expect(c.src.stats.dropped['rotated-away']).toBe(1);
  });

  it('with start_at end, skips what existed at the first start but reads a re-created file whole', async () => {
    const d = dir();
    const p = join(d, 'auth.log');
    write(p, 1, 3);
    const lines: string[] = [];
    const src = new FileSource(p, undefined, { ...opts, startAt: 'end' });
    sources.push(src);
    void src.start(async (batch) => { for (const l of batch) lines.push(`${l.lineNo}:${l.text}`); });
    await new Promise((r) => setTimeout(r, 150));
    write(p, 4, 4);
    await waitFor(() => lines.length === 1, 'the line written after start');
    expect(lines).toEqual(['4:line 4']);
    unlinkSync(p);
    await new Promise((r) => setTimeout(r, 300));
    write(p, 5, 6);
    await waitFor(() => lines.length === 3, 'the re-created file', 15_000);
    expect(lines.slice(1)).toEqual(['1:line 5', '2:line 6']);
  }, 30_000);

  it('cuts an overlong line and counts it', async () => {
    const p = join(dir(), 'auth.log');
    writeFileSync(p, `${'x'.repeat(100_000)}\nshort\n`);
    const f = follow(p);
    await waitFor(() => f.lines.length === 2, 'lines');
    expect(f.lines[0]!.length).toBe(65_536);
    expect(f.lines[1]).toBe('short');
    expect(f.src.stats.dropped['overlong-cut']).toBe(1);
    expect(f.last().offset).toBe(100_007);
  });
});
