// agent/sources/source.ts: what a live source is. Implementations:
//   sources/file-source.ts      a log file followed with @logdna/tail-file, checkpointed by inode and offset
//   sources/journald-source.ts  `journalctl --follow --output=json`, checkpointed by cursor
//
// A source must:
// - deliver lines in the order they were written, in batches, each with the checkpoint *after* the batch;
// - wait for deliver() to resolve before delivering more (the pipeline's back-pressure);
// - resume from the checkpoint it was given without losing or repeating a line, including across rotation;
// - never throw for a bad line: cut overlong lines and count what it drops, by reason;
// - end its work promptly when stop() is called, delivering nothing after stop() resolves.
import type { RawLine } from '../model.js';

export interface FileCheckpoint {
  kind: 'file';
  path: string;
  dev: number;
  ino: number;
  /** Bytes of complete lines consumed from the file with this inode. */
  offset: number;
  /** Lines consumed, so evidence can name `file:line` after a restart. */
  line: number;
  /** sha256 of the file's first line: an inode reused for a new file is not mistaken for the old one. */
  first_line: string | null;
}

export interface JournalCheckpoint {
  kind: 'journald';
  cursor: string | null;
  /** Microseconds since the epoch of the last entry, for the --since fallback when the cursor is gone. */
  realtime_us: number | null;
}

export type Checkpoint = FileCheckpoint | JournalCheckpoint;

export interface SourceStats {
  lines: number;
  bytes: number;
  /** Lines or bytes not turned into lines, by reason (e.g. `overlong-cut`, `rotated-away`). */
  dropped: Record<string, number>;
  /** Wall-clock ms of the last line delivered, or null. */
  last_line_at: number | null;
  /** How far behind the source is: bytes not yet read (files) or seconds behind the newest entry (journal). */
  lag: { bytes?: number; seconds?: number };
  restarts: number;
  /** Times the file was truncated in place (logrotate copytruncate) and read again from its start. */
  truncations?: number;
  state: 'starting' | 'waiting' | 'following' | 'stopped' | 'failed';
  detail: string;
}

export type Deliver = (batch: RawLine[], checkpoint: Checkpoint) => Promise<void>;

export interface LiveSource {
  readonly name: string;
  readonly stats: SourceStats;
  start(deliver: Deliver): Promise<void>;
  stop(): Promise<void>;
}

export function newStats(): SourceStats {
  return { lines: 0, bytes: 0, dropped: {}, last_line_at: null, lag: {}, restarts: 0, state: 'starting', detail: '' };
}

export function drop(stats: SourceStats, reason: string, n = 1): void {
  stats.dropped[reason] = (stats.dropped[reason] ?? 0) + n;
}
