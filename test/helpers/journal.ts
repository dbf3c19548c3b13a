// test/helpers/journal.ts: real journal files for tests, written by systemd-journal-remote from journal
// export format (the Debian package systemd-journal-remote; scripts/test.sh installs it).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote';

export interface Entry {
  realtimeUs: number;
  identifier: string;
  message: string | Buffer;
  pid?: number;
  host?: string;
  facility?: number;
  /** More fields, as journald would add them (e.g. _TRANSPORT=audit, _AUDIT_ID). */
  fields?: Record<string, string>;
}

let monotonic = 1000;

function exportFormat(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const head = [`__REALTIME_TIMESTAMP=${e.realtimeUs}`, `__MONOTONIC_TIMESTAMP=${monotonic++}`,
      '_BOOT_ID=0123456789abcdef0123456789abcdef', `_HOSTNAME=${e.host ?? 'web-01'}`, `SYSLOG_IDENTIFIER=${e.identifier}`,
      `_PID=${e.pid ?? 1000}`, `SYSLOG_FACILITY=${e.facility ?? 4}`,
      ...Object.entries(e.fields ?? {}).map(([k, v]) => `${k}=${v}`)].join('\n');
    parts.push(Buffer.from(`${head}\n`));
    if (typeof e.message === 'string') parts.push(Buffer.from(`MESSAGE=${e.message}\n\n`));
    else {
      // Binary-safe form: the field name, a newline, a 64-bit little-endian length, the bytes.
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(e.message.length));
      parts.push(Buffer.from('MESSAGE\n'), len, e.message, Buffer.from('\n\n'));
    }
  }
  return Buffer.concat(parts);
}

/** Appends entries to DIR/x.journal (creating it), as journald would have written them. */
export function appendJournal(dir: string, entries: Entry[]): void {
  const file = join(dir, `batch-${monotonic}.export`);
  writeFileSync(file, exportFormat(entries));
  execFileSync(JOURNAL_REMOTE, [`--output=${join(dir, 'x.journal')}`, file], { stdio: 'pipe' });
}
