// The local store: upserts by id, queries, torn lines after a crash, retention and the size limit.
import { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendDecision, readDecisions } from '../../agent/decisions/decisions.js';
import { LocalStore } from '../../agent/store/local-store.js';
import { tempDir } from '../helpers/agent.js';
import { signal } from '../helpers/signals.js';

const opts = { retention_days: 400, max_mb: 1024 };

describe('LocalStore', () => {
  it('keeps the latest version of a signal that grows, and appends nothing when nothing changed', () => {
    const dir = tempDir('sentra-store-');
    const store = new LocalStore(dir, opts);
    expect(store.upsert([signal({ count: 1 })])).toBe(1);
    expect(store.upsert([signal({ count: 1 })])).toBe(0);
    expect(store.upsert([signal({ count: 5 })])).toBe(1);
    expect(store.query().map((s) => s.count)).toEqual([5]);
    // A new process reading the same directory sees the same, and does not rewrite unchanged signals.
    const again = new LocalStore(dir, opts);
    expect(again.upsert([signal({ count: 5 })])).toBe(0);
    expect(again.query()).toHaveLength(1);
  });

  it('files signals by the month of their first event and answers time and band queries', () => {
    const store = new LocalStore(tempDir('sentra-store-'), opts);
    store.upsert([
      signal({ id: '000000000001', first_seen: '2026-10-31T23:00:00.000Z', last_seen: '2026-11-01T01:00:00.000Z', band: 'low' }),
      signal({ id: '000000000002', first_seen: '2026-11-20T10:00:00.000Z', last_seen: '2026-11-20T11:00:00.000Z', band: 'high' }),
    ]);
    expect(readdirSync(join(store.root, 'signals')).sort()).toEqual(['2026-10.jsonl', '2026-11.jsonl']);
    expect(store.query({ since: Date.parse('2026-11-01T00:00:00Z') }).map((s) => s.id)).toEqual(['000000000001', '000000000002']);
    expect(store.query({ minBand: 'medium' }).map((s) => s.id)).toEqual(['000000000002']);
    expect(store.query({ until: Date.parse('2026-11-10T00:00:00Z') }).map((s) => s.id)).toEqual(['000000000001']);
  });

  it('survives a line torn by a crash: it is skipped and counted, and later appends stay intact', () => {
    const dir = tempDir('sentra-store-');
    new LocalStore(dir, opts).upsert([signal({ id: '000000000001' })]);
    appendFileSync(join(dir, 'signals', '2026-11.jsonl'), '{"id":"000000000002","half a lin');
    const store = new LocalStore(dir, opts);
    store.upsert([signal({ id: '000000000003' })]);
    expect(store.query().map((s) => s.id)).toEqual(['000000000001', '000000000003']);
    expect(store.stats.torn_lines).toBeGreaterThan(0);
  });

  it('removes segments past retention and the oldest ones past the size limit', () => {
    const dir = tempDir('sentra-store-');
    const store = new LocalStore(dir, { retention_days: 30, max_mb: 1024 });
    store.upsert([signal({ id: '000000000001', first_seen: '2025-01-05T00:00:00.000Z', last_seen: '2025-01-05T00:00:00.000Z' }),
      signal({ id: '000000000002' })]);
    const notes = store.maintain(Date.parse('2026-11-21T00:00:00Z'));
    expect(notes[0]).toContain('removed 2025-01.jsonl: older than the retention of 30 days');
    expect(existsSync(join(dir, 'signals', '2026-11.jsonl'))).toBe(true);
    const tiny = new LocalStore(dir, { retention_days: 400, max_mb: 0.0001 });
    tiny.upsert([signal({ id: '000000000003', first_seen: '2026-12-01T00:00:00.000Z', last_seen: '2026-12-01T00:00:00.000Z' })]);
    expect(tiny.maintain(Date.parse('2026-12-02T00:00:00Z')).join('\n')).toContain('removed 2026-11.jsonl: the store exceeded its limit');
  });

  it('compacts a segment that holds mostly superseded versions', () => {
    const dir = tempDir('sentra-store-');
    const store = new LocalStore(dir, opts);
    for (let i = 1; i <= 1500; i++) store.upsert([signal({ count: i })]);
    expect(store.maintain().join()).toContain('compacted 2026-11.jsonl: 1500 lines to 1');
    expect(readFileSync(join(dir, 'signals', '2026-11.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(store.query()[0]!.count).toBe(1500);
  });
});

describe('decision log', () => {
  it('appends decisions and reads them back, skipping a torn line', () => {
    const dir = tempDir('sentra-dec-');
    appendDecision(dir, { signal_id: 'a1b2c3d4e5f6', status: 'reviewed', note: 'looked at it', by: 'maria' });
    appendFileSync(join(dir, 'decisions.jsonl'), '{"torn');
    appendDecision(dir, { signal_id: 'a1b2c3d4e5f6', status: 'resolved', note: 'planned', by: 'maria' });
    expect(readDecisions(dir).map((d) => d.status)).toEqual(['reviewed', 'resolved']);
  });

  it('refuses an unknown status or a bad id', () => {
    expect(() => appendDecision(tempDir('sentra-dec-'), { signal_id: 'xyz', status: 'reviewed', note: '', by: 'a' })).toThrow(/not a signal id/);
    expect(() => appendDecision(tempDir('sentra-dec-'), { signal_id: 'a1b2c3d4e5f6', status: 'ignored' as 'reviewed', note: '', by: 'a' })).toThrow(/--status must be one of/);
  });
});
