// agent/store/atomic.ts: durable file writes. A file replaced this way is either the old or the new content
// after a crash or power loss, never a mix: write a temp file, fsync it, rename it over, fsync the directory.
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeFileAtomic(path: string, data: string, mode = 0o600): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

/**
 * Appends whole lines and waits until they are on disk. A crash mid-append can leave a last line without
 * its newline; it is ended first, so the torn line stays one (skipped) line and the new ones stay intact.
 */
export function appendDurably(path: string, data: string, mode = 0o600): void {
  const fd = openSync(path, 'a+', mode);
  try {
    const size = fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 10) prefix = '\n';
    }
    writeSync(fd, prefix + data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The records of an append-only JSON-lines file, oldest first; a line torn by a crash is skipped. */
export function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const out: T[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch { /* torn line */ }
  }
  return out;
}
