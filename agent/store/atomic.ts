// agent/store/atomic.ts: durable file writes. A file replaced this way is either the old or the new content
// after a crash or power loss, never a mix: write a temp file, fsync it, rename it over, fsync the directory.
//
// Ownership: the service runs as its own user, and an operator may run a writing command (`sentra decide`,
// `sentra overrides add`) as root. A file root replaces keeps its owner and mode; a file or directory root
// creates takes the owner of the directory it is created in; so the service can always go on using them.
// Appends never follow a symbolic link: a link planted in the state directory cannot redirect root's writes.
import {
  closeSync, constants, existsSync, fchownSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, readSync,
  renameSync, statSync, unlinkSync, writeSync, fchmodSync,
} from 'node:fs';
import { dirname } from 'node:path';

const isRoot = (): boolean => process.getuid?.() === 0;

/** When root creates `fd` inside `dir`, hand it to the directory's owner. */
function adoptDirOwner(fd: number, dir: string): void {
  if (!isRoot()) return;
  const d = statSync(dir);
  const f = fstatSync(fd);
  if (f.uid !== d.uid || f.gid !== d.gid) fchownSync(fd, d.uid, d.gid);
}

/** mkdir -p that gives each directory it creates the owner of its parent (see above). */
export function ensureDir(path: string, mode = 0o750): void {
  if (existsSync(path)) return;
  const parent = dirname(path);
  if (parent !== path) ensureDir(parent, mode);
  mkdirSync(path, { mode });
  if (isRoot()) {
    const p = statSync(parent);
    const fd = openSync(path, 'r');
    try {
      const d = fstatSync(fd);
      if (d.uid !== p.uid || d.gid !== p.gid) fchownSync(fd, p.uid, p.gid);
    } finally {
      closeSync(fd);
    }
  }
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces `path` with `data`. An existing file keeps its mode and owner; `mode` applies to a new one. */
export function writeFileAtomic(path: string, data: string, mode = 0o640): void {
  const tmp = `${path}.tmp-${process.pid}`;
  let before: { mode: number; uid: number; gid: number } | undefined;
  try {
    const st = lstatSync(path);
    if (st.isFile()) before = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  } catch { /* a new file */ }
  // 'wx': never reuse (or follow) whatever sits at the temporary name.
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', before?.mode ?? mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    unlinkSync(tmp); // left by a crashed writer with our pid (a link is removed, never followed)
    fd = openSync(tmp, 'wx', before?.mode ?? mode);
  }
  try {
    if (before) {
      fchmodSync(fd, before.mode); // the umask must not narrow a mode the operator chose
      if (isRoot() && (fstatSync(fd).uid !== before.uid || fstatSync(fd).gid !== before.gid)) fchownSync(fd, before.uid, before.gid);
    } else adoptDirOwner(fd, dirname(path));
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
export function appendDurably(path: string, data: string, mode = 0o640): void {
  const created = !existsSync(path);
  const fd = openSync(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, mode);
  try {
    if (created) adoptDirOwner(fd, dirname(path));
    const size = fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 10) prefix = '\n';
    }
    // writeSync may write only part (a file system nearly full): go on until all is written, or it throws.
    const buf = Buffer.from(prefix + data);
    for (let done = 0; done < buf.length;) done += writeSync(fd, buf, done, buf.length - done);
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
