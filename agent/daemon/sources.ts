// agent/daemon/sources.ts: which live sources to run, from the config. `auto` follows the journal where
// there is one (it holds everything rsyslog would write to auth.log, so reading both would count lines
// twice) and falls back to the log files otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Config } from '../config/load.js';
import type { RuleSet } from '../match/load-rules.js';
import type { LogFn } from './log.js';
import { journalIdentifiers } from '../parse/identifiers.js';
import { FileSource } from '../sources/file-source.js';
import { JournaldSource } from '../sources/journald-source.js';
import type { Checkpoint, FileCheckpoint, JournalCheckpoint, LiveSource } from '../sources/source.js';

function journalAvailable(cfg: Config): boolean {
  const j = cfg.sources.journald;
  if (spawnSync(j.journalctl, ['--version'], { timeout: 10_000 }).status !== 0) return false;
  return Boolean(j.directory || j.files?.length) || existsSync('/run/log/journal') || existsSync('/var/log/journal');
}

export function buildSources(cfg: Config, rules: RuleSet, saved: Record<string, Checkpoint>, log: LogFn): LiveSource[] {
  const mode = cfg.sources.mode === 'auto' ? (journalAvailable(cfg) ? 'journald' : 'files') : cfg.sources.mode;
  const out: LiveSource[] = [];
  const sourceLog = (level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>): void => log(level, msg, fields);
  if (mode === 'journald' || mode === 'both') {
    const j = cfg.sources.journald;
    // Identifiers that the parser folds into a rule's program (polkitd(authority=local) → polkitd) are asked for too.
    const identifiers = journalIdentifiers([...rules.rules.flatMap((r) => r.spec.programs), ...j.extra_identifiers]);
    out.push(new JournaldSource(saved.journald as JournalCheckpoint | undefined, {
      journalctl: j.journalctl, identifiers, facilities: j.facilities, maxLineBytes: cfg.sources.max_line_bytes,
      initialBackfillHours: j.initial_backfill_hours, maxCatchupHours: j.max_catchup_hours, log: sourceLog,
      // In `both` mode an audit.log among the files is the audit record's one transport.
      skipAuditTransport: mode === 'both' && cfg.sources.files.paths.some((p) => p.endsWith('/audit.log')),
      ...(j.directory ? { directory: j.directory } : {}), ...(j.files ? { files: j.files } : {}),
    }));
  }
  if (mode === 'files' || mode === 'both') {
    const f = cfg.sources.files;
    for (const path of f.paths) {
      out.push(new FileSource(path, saved[`file:${path}`] as FileCheckpoint | undefined,
        { pollMs: f.poll_ms, maxLineBytes: cfg.sources.max_line_bytes, startAt: f.start_at, followSymlinks: f.follow_symlinks, log: sourceLog }));
    }
  }
  log('info', `reading from ${out.map((s) => s.name).join(', ') || 'no source'} (sources.mode ${cfg.sources.mode})`);
  if (mode === 'both') log('warn', 'sources.mode is "both": if rsyslog writes the journal to these files, lines are counted twice');
  return out;
}
