// agent/sources/file-source.ts: follows one log file (e.g. /var/log/auth.log) with @logdna/tail-file.
// The checkpoint is (device, inode, first-line hash, byte offset). On start it is reconciled with the file:
// resume; start over if the file was truncated or replaced; and if it was rotated while Sentra was stopped,
// first finish the rotated file (found beside it by its inode), then read the new one from the start.
// While following, tail-file finishes a renamed file before the new one; the byte boundary between them is
// taken from the stream buffer when the event fires, so every line is counted against the right file.
import { createReadStream, existsSync, openSync, readdirSync, readSync, closeSync, lstatSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import TailFile from '@logdna/tail-file';
import type { RawLine } from '../model.js';
import { ByteLines, firstLineHash, type ByteLine } from './byte-lines.js';
import { drop, newStats, type Deliver, type FileCheckpoint, type LiveSource } from './source.js';
import { now } from '../clock.js';

export interface FileSourceOptions {
  pollMs: number;
  maxLineBytes: number;
  /** With no checkpoint: read the file from its start (backfill) or only what is written from now on. */
  startAt: 'beginning' | 'end';
  /** Follow a path that is a symbolic link (still never one someone else could have planted). */
  followSymlinks?: boolean;
  log?: (level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>) => void;
}

interface Identity { dev: number; ino: number }

function readFirstLineHash(path: string): string | null {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(65_536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const nl = buf.subarray(0, n).indexOf(10);
    if (nl === -1) return null;
    const end = nl > 0 && buf[nl - 1] === 13 ? nl - 1 : nl;
    return firstLineHash(buf.subarray(0, end));
  } finally {
    closeSync(fd);
  }
}

/** Lines before `end`, for a start at the end of an existing file (so line numbers stay true). */
function countLines(path: string, end: number): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 18);
  let n = 0;
  try {
    for (let pos = 0; pos < end;) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
      if (got <= 0) break;
      for (let i = buf.indexOf(10); i !== -1 && i < got; i = buf.indexOf(10, i + 1)) n++;
      pos += got;
    }
  } finally {
    closeSync(fd);
  }
  return n;
}

/** The rotated copy of a file is the sibling that still has its inode (auth.log.1, auth.log-20261121, …). */
function findByInode(path: string, id: Identity): string | undefined {
  const dir = dirname(path);
  const base = basename(path);
  for (const name of readdirSync(dir).filter((n) => n !== base && n.startsWith(base)).sort()) {
    try {
      const st = statSync(join(dir, name));
      if (st.ino === id.ino && st.dev === id.dev) return join(dir, name);
    } catch { /* vanished meanwhile */ }
  }
  return undefined;
}

/** A copy logrotate made before truncating (copytruncate): same first line, at least `offset` bytes, not compressed. */
function findCopy(path: string, firstLine: string, offset: number): string | undefined {
  const dir = dirname(path);
  const base = basename(path);
  for (const name of readdirSync(dir).filter((n) => n !== base && n.startsWith(base) && !/\.(gz|xz|bz2|zst)$/.test(n)).sort()) {
    const file = join(dir, name);
    try {
      if (statSync(file).size >= offset && readFirstLineHash(file) === firstLine) return file;
    } catch { /* vanished meanwhile */ }
  }
  return undefined;
}

/**
 * Why a configured path that is a symbolic link must not be followed, or null. A link someone else could have
 * planted (not owned by root or by this process) is never followed, and neither is one that leads a root
 * agent to a file only its owner may read: its lines would end up as evidence in a store others read.
 */
export function linkProblem(path: string, follow = true): string | null {
  let link;
  try {
    link = lstatSync(path);
  } catch {
    return null;
  }
  if (!link.isSymbolicLink()) return link.isFile() ? null : `${path} is not a regular file: not read`;
  if (!follow) return `${path} is a symbolic link: not followed (set sources.files.follow_symlinks: true to follow it)`;
  const me = process.getuid?.() ?? 0;
  if (link.uid !== 0 && link.uid !== me) return `${path} is a symbolic link owned by uid ${link.uid}: not followed`;
  try {
    const target = statSync(path);
    if (!target.isFile()) return `${path} leads to something that is not a regular file: not read`;
    if (me === 0 && target.uid === 0 && (target.mode & 0o044) === 0) {
      return `${path} is a symbolic link to a file only root may read (mode ${(target.mode & 0o777).toString(8)}): not followed`;
    }
  } catch {
    return null; // a dangling link: waited for like a missing file
  }
  return null;
}

export class FileSource implements LiveSource {
  readonly name: string;
  readonly stats = newStats();
  private running = false;
  private tail: TailFile | undefined;
  private splitter: ByteLines | undefined;
  private id: Identity | undefined;
  private done: Promise<void> = Promise.resolve();
  private reconciled = false;
  private wake: (() => void) | undefined;

  constructor(readonly path: string, private checkpoint: FileCheckpoint | undefined, private readonly opts: FileSourceOptions) {
    this.name = `file:${path}`;
  }

  start(deliver: Deliver): Promise<void> {
    this.running = true;
    this.done = this.supervise(deliver);
    return Promise.resolve();
  }

  /**
   * Runs the follower and, when it fails (a permission changed during rotation, a read error), says so
   * (state `failed` with the reason, which `status` reports as degraded) and tries again with a back-off
   * capped at a minute: a source never stops for good while the agent runs.
   */
  private async supervise(deliver: Deliver): Promise<void> {
    let wait = this.opts.pollMs;
    while (this.running) {
      try {
        await this.loop(deliver);
        return;
      } catch (err) {
        this.tail?.destroy();
        this.tail = undefined;
        const why = (err as NodeJS.ErrnoException).code === 'link refused' ? (err as Error).message : (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        if (this.stats.state !== 'failed') this.opts.log?.('warn', `${this.name} cannot be read (${why}); trying again`);
        this.stats.state = 'failed';
        this.stats.detail = `cannot be read (${why}); trying again`;
        this.stats.restarts++;
        await this.sleep(wait);
        wait = Math.min(wait * 2, 60_000);
      }
    }
  }

  /** A wait that a stop() cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => { clearTimeout(t); resolve(); };
    });
  }

  async stop(): Promise<void> {
    if (!this.running) return this.done;
    this.running = false;
    this.wake?.();
    const tail = this.tail;
    this.tail = undefined;
    await tail?.quit().catch(() => undefined);
    await this.done;
    this.stats.state = 'stopped';
  }

  /** Bytes written to the file that are not read yet. */
  lagBytes(): number {
    try {
      const st = statSync(this.path);
      if (this.id && st.ino === this.id.ino && this.splitter) return Math.max(0, st.size - this.splitter.offset);
      return st.size;
    } catch {
      return 0;
    }
  }

  private cp(): FileCheckpoint {
    const sp = this.splitter!;
    return { kind: 'file', path: this.path, dev: this.id!.dev, ino: this.id!.ino, offset: sp.offset, line: sp.lines, first_line: sp.firstLine };
  }

  private async loop(deliver: Deliver): Promise<void> {
    while (this.running) {
      if (!existsSync(this.path)) {
        this.stats.state = 'waiting';
        this.stats.detail = 'file does not exist yet';
        await new Promise((r) => setTimeout(r, this.opts.pollMs));
        continue;
      }
      const refused = linkProblem(this.path, this.opts.followSymlinks ?? false);
      if (refused) throw Object.assign(new Error(refused), { code: 'link refused' });
      const startPos = await this.reconcile(deliver);
      if (!this.running) return;
      await this.follow(startPos, deliver);
      if (this.running) this.stats.restarts++;
    }
  }

  /** Decides where to start in the current file, finishing a file rotated while stopped. */
  private async reconcile(deliver: Deliver): Promise<number> {
    const st = statSync(this.path);
    const cp = this.checkpoint;
    this.checkpoint = undefined; // used once; later restarts follow the live identity
    if (cp) this.reconciled = true;
    const fresh = (offset: number, line: number, first: string | null): number => {
      this.id = { dev: st.dev, ino: st.ino };
      this.splitter = new ByteLines(offset, line, first, this.opts.maxLineBytes);
      return offset;
    };
    if (!cp) {
      if (this.id && this.id.ino === st.ino && this.splitter && this.splitter.offset <= st.size) return this.splitter.offset;
      // start_at: end skips what existed when Sentra first started; a file created later is read whole.
      const first = !this.reconciled;
      this.reconciled = true;
      return this.opts.startAt === 'end' && first ? fresh(st.size, countLines(this.path, st.size), readFirstLineHash(this.path)) : fresh(0, 0, null);
    }
    if (cp.dev === st.dev && cp.ino === st.ino) {
      if (st.size < cp.offset) {
        this.opts.log?.('warn', `${this.path} was truncated while Sentra was stopped; reading it from the start`);
        return fresh(0, 0, null);
      }
      if (cp.first_line !== null && readFirstLineHash(this.path) !== cp.first_line) {
        this.opts.log?.('warn', `${this.path} was replaced by a new file with the same inode; reading it from the start`);
        return fresh(0, 0, null);
      }
      return fresh(cp.offset, cp.line, cp.first_line);
    }
    const old = findByInode(this.path, cp);
    if (old) {
      this.opts.log?.('info', `${this.path} was rotated while Sentra was stopped; finishing ${old} first`);
      await this.readRest(old, cp, deliver);
    } else {
      drop(this.stats, 'rotated-away');
      this.opts.log?.('warn', `${this.path} was rotated while Sentra was stopped and the old file (inode ${cp.ino}) is gone or compressed; lines written to it after offset ${cp.offset} could not be read`);
    }
    return fresh(0, 0, null);
  }

  private async readRest(file: string, cp: FileCheckpoint, deliver: Deliver): Promise<void> {
    this.id = { dev: cp.dev, ino: cp.ino };
    this.splitter = new ByteLines(cp.offset, cp.line, cp.first_line, this.opts.maxLineBytes);
    for await (const chunk of createReadStream(file, { start: cp.offset, highWaterMark: 1 << 18 })) {
      await this.handle(chunk as Buffer, deliver);
    }
    const out: ByteLine[] = [];
    this.splitter.finish(out);
    await this.send(out, deliver);
  }

  private async follow(startPos: number, deliver: Deliver): Promise<void> {
    // A vanished file is retried three times before the follower ends; the loop then waits for it to return.
    const tail = new TailFile(this.path, { startPos, pollFileIntervalMs: this.opts.pollMs, pollFailureRetryMs: this.opts.pollMs, maxPollFailures: 3 });
    this.tail = tail;
    let consumed = 0;
    const boundaries: number[] = [];
    // Bytes still buffered when the event fires belong to the file that was before it.
    const mark = (): void => { boundaries.push(consumed + tail.readableLength); };
    tail.on('renamed', mark).on('truncated', mark);
    // tail-file reports a failed read and may then wait forever: end this follower instead; the supervisor
    // retries from the position counted here, which only moves when lines are delivered.
    let failure: Error | undefined;
    tail.on('tail_error', (err: Error & { meta?: { error?: NodeJS.ErrnoException } }) => {
      failure ??= err.meta?.error ?? err;
      // quit() waits for a flush an errored follower never makes; destroying ends the iteration at once.
      tail.destroy(failure);
    });
    // A file that cannot be opened (EACCES after a rotation that created it 0600) is a failure the
    // supervisor retries with back-off, not a reason to spin.
    await tail.start();
    this.stats.state = 'following';
    this.stats.detail = '';
    try {
      for await (const chunk of tail) {
        let buf = chunk as Buffer;
        while (boundaries.length > 0 && consumed + buf.length >= boundaries[0]!) {
          const cut = boundaries.shift()! - consumed;
          await this.handle(buf.subarray(0, cut), deliver);
          consumed += cut;
          buf = buf.subarray(cut);
          await this.switchFile(deliver);
        }
        if (boundaries.length === 0 && this.replacedInPlace()) {
          // copytruncate: the file was emptied and written again, perhaps past where we were. What this chunk
          // holds is the middle of the new content: drop it and start the file over.
          tail.destroy();
          await this.afterTruncation(deliver);
          return;
        }
        consumed += buf.length;
        await this.handle(buf, deliver);
        if (!this.running) break;
      }
      if (failure && this.running) throw failure;
    } catch (err) {
      // tail-file ends with an error when the file stays gone (deleted, not re-created yet). What it held
      // was read; finish its last line and go back to waiting for the file.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const out: ByteLine[] = [];
      this.splitter?.finish(out);
      await this.send(out, deliver);
      this.id = undefined;
      this.opts.log?.('info', `${this.path} disappeared; waiting for it to be created again`);
    }
  }

  /** Same inode, but shorter than what was read or with another first line: truncated in place. */
  private replacedInPlace(): boolean {
    if (!this.id || !this.splitter) return false;
    try {
      const st = statSync(this.path);
      if (st.ino !== this.id.ino || st.dev !== this.id.dev) return false;
      if (st.size < this.splitter.offset) return true;
      return this.splitter.firstLine !== null && readFirstLineHash(this.path) !== this.splitter.firstLine;
    } catch {
      return false;
    }
  }

  /**
   * After copytruncate: the rest of the old content is read from the copy logrotate made (auth.log.1, found
   * by its first line), then the live file from its start. Without a copy the rest is counted as dropped.
   */
  private async afterTruncation(deliver: Deliver): Promise<void> {
    const sp = this.splitter!;
    this.stats.truncations = (this.stats.truncations ?? 0) + 1;
    const copy = sp.firstLine === null ? undefined : findCopy(this.path, sp.firstLine, sp.offset);
    if (copy) {
      const st = statSync(copy);
      this.opts.log?.('info', `${this.path} was truncated in place (copytruncate); finishing ${copy} first`);
      await this.readRest(copy, { kind: 'file', path: copy, dev: st.dev, ino: st.ino, offset: sp.offset, line: sp.lines, first_line: sp.firstLine }, deliver);
    } else {
      drop(this.stats, 'truncated-away');
      this.opts.log?.('warn', `${this.path} was truncated in place and no uncompressed copy holds the lines after offset ${sp.offset}; they could not be read`);
    }
    const live = statSync(this.path);
    this.id = { dev: live.dev, ino: live.ino };
    this.splitter = new ByteLines(0, 0, null, this.opts.maxLineBytes);
  }

  /** The followed name now points at a new file: end the old one's last line and start counting anew. */
  private async switchFile(deliver: Deliver): Promise<void> {
    const out: ByteLine[] = [];
    this.splitter!.finish(out);
    await this.send(out, deliver);
    const st = statSync(this.path);
    this.id = { dev: st.dev, ino: st.ino };
    this.splitter = new ByteLines(0, 0, null, this.opts.maxLineBytes);
  }

  private async handle(buf: Buffer, deliver: Deliver): Promise<void> {
    if (buf.length === 0) return;
    this.stats.bytes += buf.length;
    const out: ByteLine[] = [];
    this.splitter!.push(buf, out);
    await this.send(out, deliver);
  }

  private async send(lines: ByteLine[], deliver: Deliver): Promise<void> {
    if (lines.length === 0) return;
    const batch: RawLine[] = lines.map((l) => {
      const raw: RawLine = { text: l.text, file: this.path, lineNo: l.lineNo };
      if (l.truncated) {
        raw.truncated = true;
        drop(this.stats, 'overlong-cut');
      }
      return raw;
    });
    this.stats.lines += batch.length;
    this.stats.last_line_at = now();
    await deliver(batch, this.cp());
  }
}
