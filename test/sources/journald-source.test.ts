// The journald source against real journal files (systemd-journal-remote) read by the real journalctl:
// filtering, byte-array messages, cursors across restarts, a vanished cursor, live appends, and restarts
// of a journalctl that dies.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournaldSource, type JournaldOptions } from '../../agent/sources/journald-source.js';
import type { JournalCheckpoint } from '../../agent/sources/source.js';
import { appendJournal, type Entry } from '../helpers/journal.js';
import { waitFor } from '../helpers/wait.js';

const T0 = 1_762_313_957_000_000; // 2025-11-05T03:39:17Z in microseconds
let sources: JournaldSource[] = [];
afterEach(async () => {
  await Promise.all(sources.map((s) => s.stop()));
  sources = [];
});

function options(dir: string, over: Partial<JournaldOptions> = {}): JournaldOptions {
  return { journalctl: 'journalctl', directory: dir, identifiers: ['sshd', 'sudo'], facilities: [4, 10], maxLineBytes: 65_536,
    initialBackfillHours: 24 * 365 * 30, maxCatchupHours: 24 * 365 * 30, ...over };
}

function follow(dir: string, cp?: JournalCheckpoint, over: Partial<JournaldOptions> = {}) {
  const got: Array<{ message: string; source: string; cursor?: string }> = [];
  let last: JournalCheckpoint | undefined;
  const src = new JournaldSource(cp, options(dir, over));
  sources.push(src);
  void src.start(async (batch, c) => {
    for (const l of batch) {
      const e = JSON.parse(l.text) as { MESSAGE: string | number[] };
      const message = typeof e.MESSAGE === 'string' ? e.MESSAGE : Buffer.from(e.MESSAGE).toString('utf8');
      got.push({ message, source: `${l.file}:${l.lineNo}`, ...(l.cursor ? { cursor: l.cursor } : {}) });
    }
    last = c as JournalCheckpoint;
  });
  return { got, last: () => last!, src };
}

const entry = (i: number, identifier = 'sshd', facility = 4): Entry => ({ realtimeUs: T0 + i * 1_000_000, identifier, facility, message: `message ${i}` });

describe('JournaldSource', () => {
  it('reads auth entries only, with cursors, and names them by sequence number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentra-journal-'));
    appendJournal(dir, [entry(1), entry(2, 'CRON', 9), entry(3, 'sudo', 10), entry(4, 'unrelated', 10)]);
    const f = follow(dir);
    await waitFor(() => f.got.length === 3, 'three auth entries');
    expect(f.got.map((g) => g.message)).toEqual(['message 1', 'message 3', 'message 4']);
    expect(f.got[0]!.source).toBe('journal:1');
    expect(f.last().cursor).toBe(f.got[2]!.cursor);
  });

  it('keeps byte-array messages intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentra-journal-'));
    appendJournal(dir, [{ realtimeUs: T0, identifier: 'sshd', message: Buffer.from([0x49, 0x6e, 0x76, 0x00, 0xc3, 0xa9]) }]);
    const f = follow(dir);
    await waitFor(() => f.got.length === 1, 'binary entry');
    expect(f.got[0]!.message).toBe('Inv\u0000\u00e9');
  });

  it('sees entries appended while it follows, and resumes after its cursor without repeats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentra-journal-'));
    appendJournal(dir, [entry(1), entry(2)]);
    const a = follow(dir);
    await waitFor(() => a.got.length === 2, 'first entries');
    appendJournal(dir, [entry(3)]);
    await waitFor(() => a.got.length === 3, 'live entry', 15_000);
    await a.src.stop();
    appendJournal(dir, [entry(4), entry(5)]);
    const b = follow(dir, a.last());
    await waitFor(() => b.got.length === 2, 'entries after the cursor');
    expect(b.got.map((g) => g.message)).toEqual(['message 4', 'message 5']);
  });

  it('falls back to the last entry time when the cursor is gone, reading nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentra-journal-'));
    appendJournal(dir, [entry(1), entry(2), entry(3)]);
    const gone: JournalCheckpoint = { kind: 'journald', cursor: 's=deadbeefdeadbeefdeadbeefdeadbeef;i=2;b=0123456789abcdef0123456789abcdef;m=3e9;t=642d0b1730580;x=1', realtime_us: T0 + 2_000_000 };
    const f = follow(dir, gone);
    await waitFor(() => f.got.length === 1, 'entries after the saved time');
    expect(f.got.map((g) => g.message)).toEqual(['message 3']);
    expect(f.src.stats.dropped['cursor-gone']).toBe(1);
  });

  it('restarts journalctl when it dies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentra-journal-'));
    appendJournal(dir, [entry(1)]);
    const flag = join(dir, 'died-once');
    const wrapper = join(dir, 'journalctl');
    // Fails on its first --follow run, then behaves like the real journalctl.
    writeFileSync(wrapper, `#!/bin/sh\ncase "$*" in *--follow*) if [ ! -e ${flag} ]; then touch ${flag}; echo simulated crash >&2; exit 1; fi;; esac\nexec journalctl "$@"\n`);
    chmodSync(wrapper, 0o755);
    const f = follow(dir, undefined, { journalctl: wrapper });
    await waitFor(() => f.got.length === 1, 'entry after a restart');
    expect(f.src.stats.restarts).toBe(1);
    expect(f.src.stats.detail).toContain('simulated crash');
  });
});
