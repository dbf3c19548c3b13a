// Lines dated far ahead of the others (a sender with a wrong clock, a corrupt timestamp) must not move event
// time: the windows of the lines after them stay open and nothing is dropped as late. A log that really
// moves on (a host that was off for a week) still closes its old windows, once enough lines agree.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../agent/model.js';
import { generatedLines } from '../helpers/genlog.js';
import { tempDir } from '../helpers/agent.js';
import { sentra } from '../helpers/cli.js';

function scan(file: string): { signals: Signal[]; stats: { read: number; matched: number; late: number; ahead: number } } {
  const r = sentra(['scan', '--format', 'json', '--timezone', 'UTC', '-q', file]);
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { signals: Signal[]; stats: { read: number; matched: number; late: number; ahead: number } };
  return out;
}

const events = (signals: Signal[]): number => signals.reduce((n, s) => n + s.count, 0);

describe('future-dated lines', () => {
  it('twenty lines dated a month ahead change nothing about the rest', () => {
    const dir = tempDir('sentra-future-');
    const lines = generatedLines(dir, 20000, 41);
    const clean = join(dir, 'clean.log');
    writeFileSync(clean, `${lines.join('\n')}\n`);
    const bad = (i: number) => `2026-03-${String(10 + (i % 9)).padStart(2, '0')}T12:00:00.000000+00:00 ${lines[0]!.split(' ')[1]} sshd[${90000 + i}]: `
      + `Failed password for invalid user ghost${i} from 192.0.2.${i + 1} port 5${i} ssh2`;
    const mixed = [...lines];
    for (let i = 0; i < 20; i++) mixed.splice(Math.floor(((i + 1) * lines.length) / 22), 0, bad(i));
    const dirty = join(dir, 'dirty.log');
    writeFileSync(dirty, `${mixed.join('\n')}\n`);

    const a = scan(clean);
    const b = scan(dirty);
    expect(b.stats.late).toBe(0);
    expect(b.stats.ahead).toBe(20);
    // Every signal of the clean log is there, unchanged; the stray lines only add their own.
    const key = (s: Signal) => `${s.id} ${s.count}`;
    const bKeys = new Set(b.signals.map(key));
    expect(a.signals.filter((s) => !bKeys.has(key(s)))).toEqual([]);
    expect(events(b.signals)).toBeGreaterThanOrEqual(events(a.signals));
  });

  it('a log that really moves a week on still closes its old days', () => {
    const dir = tempDir('sentra-future-');
    const file = join(dir, 'gap.log');
    const line = (day: number, sec: number, ip: string) =>
      `2026-02-${String(day).padStart(2, '0')}T10:00:${String(sec).padStart(2, '0')}.000000+00:00 web-01 sshd[${day * 100 + sec}]: Failed password for invalid user u${sec} from ${ip} port 4${sec} ssh2`;
    const before = Array.from({ length: 30 }, (_, i) => line(1, i, '198.51.100.1'));
    const after = Array.from({ length: 30 }, (_, i) => line(9, i, '198.51.100.2'));
    // A straggler for day 1 after the jump is confirmed: day 1 has closed, so it is late.
    writeFileSync(file, `${[...before, ...after, line(1, 59, '198.51.100.1')].join('\n')}\n`);
    const r = scan(file);
    expect(r.stats.ahead).toBe(0);
    expect(r.stats.late).toBe(1);
  });
});
