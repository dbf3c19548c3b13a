// agent/sinks/clickhouse/spool-legacy.ts: the spool of Sentra 0.1 (one NNNNNNNNNNNN.json file per batch of
// signal and evidence rows), read once after an upgrade so that what it still held is sent, not stranded.
// Its rows lack the columns migration 2 added; they get empty values, as the server gives older rows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvidenceRow, SignalRow } from './rows.js';
import type { SpoolRecord } from './spool.js';

const LEGACY = /^(\d{12})\.json$/;

interface LegacyBatch {
  seq: number;
  signals: Array<Partial<SignalRow>>;
  evidence: EvidenceRow[];
}

export interface LegacySpool {
  files: string[];
  records: Array<Omit<SpoolRecord, 'q'>>;
  /** Batch files that could not be parsed (a torn write of 0.1): kept in place, named in the log. */
  unreadable: string[];
}

/** The old batches in `dir`, oldest first, as records of the segment log (one per signal row). */
export function readLegacySpool(dir: string): LegacySpool {
  const out: LegacySpool = { files: [], records: [], unreadable: [] };
  for (const name of readdirSync(dir).filter((n) => LEGACY.test(n)).sort()) {
    let batch: LegacyBatch;
    try {
      batch = JSON.parse(readFileSync(join(dir, name), 'utf8')) as LegacyBatch;
      if (!Array.isArray(batch.signals) || !Array.isArray(batch.evidence)) throw new Error('not a batch');
    } catch {
      out.unreadable.push(name);
      continue;
    }
    out.files.push(name);
    for (const s of batch.signals) {
      const row = { accounts: [], tried_users: [], addr_ips: [], addr_lines: [], addr_outcomes: [], ...s } as SignalRow;
      out.records.push({
        k: `${row.tenant}\u0001${row.host}\u0001${row.id}`, v: row.version, ls: row.last_seen * 1000, s: row,
        e: batch.evidence.filter((e) => e.signal_id === row.id && e.host === row.host),
      });
    }
  }
  return out;
}
