// The ClickHouse spool on its own: an append-only segment log with an acknowledged position. Records
// survive restarts until acknowledged, torn lines are skipped, finished segments go, and the full-spool
// policy keeps signal rows before evidence and notes what it had to refuse.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SignalRow } from '../../agent/sinks/clickhouse/rows.js';
import { Spool, type SpoolRecord } from '../../agent/sinks/clickhouse/spool.js';
import { tempDir } from '../helpers/agent.js';

const row = (id: string): SignalRow => ({ id, host: 'web-01', tenant: 'acme' } as unknown as SignalRow);
const rec = (id: string, v: number, evidence = 0, pad = 0): Omit<SpoolRecord, 'q'> => ({
  k: `acme\u0001web-01\u0001${id}`, v, ls: v, s: row(id),
  e: Array.from({ length: evidence }, (_, seq) => ({ tenant: 'acme', host: 'web-01', signal_id: id, seq, version: v, ts: 0, source: 'f', cursor: '', line: 'x'.repeat(pad) })),
});

describe('ClickHouse spool', () => {
  it('reads records in order, and after an ack only the rest, also after a restart', () => {
    const dir = tempDir('sentra-spool-');
    const a = new Spool(dir, 1 << 20);
    for (let i = 1; i <= 5; i++) a.add(rec(`s${i}`, i, 2));
    const first = a.read(3);
    expect(first.records.map((r) => r.s.id)).toEqual(['s1', 's2', 's3']);
    expect(a.read(3).records.map((r) => r.s.id)).toEqual(['s1', 's2', 's3']); // nothing moves without an ack
    a.acknowledge(first);
    expect(a.stats.records).toBe(2);
    const b = new Spool(dir, 1 << 20);
    expect(b.read(10).records.map((r) => [r.s.id, r.q])).toEqual([['s4', 4], ['s5', 5]]);
    expect(b.stats.records).toBe(2);
    expect(b.lastVersion).toBe(5);
    b.add(rec('s6', 6));
    expect(b.read(10).records.map((r) => r.q)).toEqual([4, 5, 6]);
  });

  it('knows which records a newer version of the same signal supersedes', () => {
    const s = new Spool(tempDir('sentra-spool-'), 1 << 20);
    s.add(rec('a', 1));
    s.add(rec('b', 2));
    s.add(rec('a', 3));
    const [a1, b2, a3] = s.read(10).records;
    expect([s.superseded(a1!), s.superseded(b2!), s.superseded(a3!)]).toEqual([true, false, false]);
  });

  it('rolls segments and deletes each once it is acknowledged to its end', () => {
    const dir = tempDir('sentra-spool-');
    const s = new Spool(dir, 1 << 20); // 128 KiB segments at this limit (a minimum of 64 KiB)
    for (let i = 0; i < 60; i++) s.add(rec(`s${i}`, i + 1, 1, 5000));
    const segments = readdirSync(join(dir, 'spool')).filter((n) => n.endsWith('.log'));
    expect(segments.length).toBeGreaterThan(1);
    for (let b = s.read(7); b.records.length > 0; b = s.read(7)) s.acknowledge(b);
    expect(s.stats).toMatchObject({ records: 0, bytes: 0 });
    expect(readdirSync(join(dir, 'spool')).filter((n) => n.endsWith('.log')).length).toBe(1);
  });

  it('skips a line torn by a crash and keeps the records around it', () => {
    const dir = tempDir('sentra-spool-');
    const s = new Spool(dir, 1 << 20);
    s.add(rec('a', 1));
    const seg = join(dir, 'spool', readdirSync(join(dir, 'spool')).find((n) => n.endsWith('.log'))!);
    appendFileSync(seg, '{"q":2,"k":"torn');
    const after = new Spool(dir, 1 << 20);
    after.add(rec('b', 3));
    expect(after.read(10).records.map((r) => r.s.id)).toEqual(['a', 'b']);
    expect(after.stats.torn_lines).toBe(1);
  });

  it('treats a damaged ack file as nothing acknowledged: records are sent again, never lost', () => {
    const dir = tempDir('sentra-spool-');
    const s = new Spool(dir, 1 << 20);
    s.add(rec('a', 1));
    s.add(rec('b', 2));
    s.acknowledge(s.read(1));
    writeFileSync(join(dir, 'spool', 'ack.json'), '{"segm');
    expect(new Spool(dir, 1 << 20).read(10).records.map((r) => r.s.id)).toEqual(['a', 'b']);
  });

  it('when full, keeps signal rows and owes their evidence, then refuses and notes the earliest refused', () => {
    const dir = tempDir('sentra-spool-');
    const s = new Spool(dir, 6000);
    const outcomes = [];
    for (let i = 1; i <= 12; i++) outcomes.push(s.add({ ...rec(`s${i}`, 1000 + i, 2, 800), ls: 5000 - i }));
    expect(outcomes.slice(0, 3)).toEqual(['stored', 'stored', 'stored']);
    expect(outcomes).toContain('evidence-owed');
    expect(outcomes.at(-1)).toBe('refused');
    const firstRefused = outcomes.indexOf('refused');
    expect(outcomes.slice(firstRefused).every((o) => o === 'refused')).toBe(true);
    expect(s.stats.bytes).toBeLessThanOrEqual(6000);
    expect(s.overflow).toEqual({ since: 5000 - 12, refused: 12 - firstRefused });
    expect(JSON.parse(readFileSync(join(dir, 'spool', 'overflow.json'), 'utf8'))).toEqual(s.overflow);
    const owed = s.read(100).records.filter((r) => r.o);
    expect(owed.length).toBe(outcomes.filter((o) => o === 'evidence-owed').length);
    expect(owed.every((r) => r.e.length === 0)).toBe(true);
    s.clearOverflow();
    expect(existsSync(join(dir, 'spool', 'overflow.json'))).toBe(false);
  });

  it('takes over the batches of the 0.1 spool once, with their evidence, and keeps an unreadable one in place', () => {
    const dir = tempDir('sentra-spool-');
    const spool = join(dir, 'spool');
    mkdirSync(spool);
    const old = (seq: number, ids: string[]) => ({
      seq, signals: ids.map((id, i) => ({ tenant: 'acme', host: 'web-01', id, version: 100 + seq * 10 + i, last_seen: 1_700_000_000 + seq })),
      evidence: ids.flatMap((id) => [0, 1].map((n) => ({ tenant: 'acme', host: 'web-01', signal_id: id, seq: n, version: 100, ts: 0, source: 'f', cursor: '', line: `${id}-${n}` }))),
    });
    writeFileSync(join(spool, '000000000001.json'), JSON.stringify(old(1, ['a', 'b'])));
    writeFileSync(join(spool, '000000000002.json'), JSON.stringify(old(2, ['a'])));
    writeFileSync(join(spool, '000000000003.json'), '{"seq":3,"signals":[{"id"'); // torn by a crash in 0.1
    const s = new Spool(dir, 1 << 20);
    expect(s.legacy).toEqual({ batches: 2, records: 3, unreadable: ['000000000003.json'] });
    const records = s.read(10).records;
    expect(records.map((r) => [r.s.id, r.v, r.e.map((e) => e.line)])).toEqual([
      ['a', 110, ['a-0', 'a-1']], ['b', 111, ['b-0', 'b-1']], ['a', 120, ['a-0', 'a-1']]]);
    expect(records[0]!.s.accounts).toEqual([]);
    expect(records[0]!.ls).toBe(1_700_000_001_000);
    expect(s.lastVersion).toBe(120);
    expect(readdirSync(spool).filter((n) => n.endsWith('.json') && n !== 'ack.json').sort()).toEqual(['000000000003.json']);
    // A restart does not take them over twice.
    const again = new Spool(dir, 1 << 20);
    expect(again.legacy.batches).toBe(0);
    expect(again.read(10).records.length).toBe(3);
  });
});
