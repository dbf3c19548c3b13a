// agent/daemon/status.ts: status.json in the state directory, rewritten every few seconds by the agent
// (mode 0640: readable by the service user, the sentra group and root), and read by `sentra status`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Band } from '../model.js';
import type { ShipStats } from '../sinks/clickhouse/sink.js';
import type { SourceStats } from '../sources/source.js';
import type { NotifyStats } from '../sinks/notify/notifier.js';
import { redact } from '../redact.js';
import { writeFileAtomic } from '../store/atomic.js';
import { now } from '../clock.js';

export interface AgentStatus {
  pid: number;
  version: string;
  state: 'running' | 'stopping' | 'stopped';
  started_at: string;
  updated_at: string;
  status_every_seconds: number;
  state_dir: string;
  rules: { version: string; count: number; files: number; last_error: string | null };
  overrides: { file: string | null; count: number; last_error: string | null };
  sources: Array<{ name: string } & SourceStats>;
  pipeline: {
    read: number; parsed: number; matched: number; unmatched: number; unparsed: number; truncated: number; late: number; ahead?: number;
    unparsed_reasons: Record<string, number>;
  };
  last_checkpoint_at: string | null;
  /** Unsuppressed incidents active today (UTC), riskiest first, at most 20; absent in a status from before 0.2. */
  incidents_today?: Array<{ id: string; title: string; band: Band; action_required: boolean; signals: number }>;
  signals_today: Record<Band, number>;
  action_required_today: number;
  suppressed_today: Record<string, number>;
  override_hits_since_start: Record<string, number>;
  store: { bytes: number; segments: number; torn_lines: number; removed_segments: number };
  clickhouse: ShipStats | null;
  /** Per destination: queued in the outbox, delivered and given up since start, the last error. */
  notifications?: NotifyStats[];
  /** What keeps the agent from its promise right now (storing, checkpointing, a source): `status` exits 4. */
  degraded?: string[];
  warnings: string[];
}

export const statusPath = (stateDir: string): string => join(stateDir, 'status.json');

export function writeStatus(stateDir: string, s: AgentStatus): void {
  writeFileAtomic(statusPath(stateDir), `${redact(JSON.stringify(s, null, 2))}\n`, 0o640);
}

export function readStatus(stateDir: string): AgentStatus {
  return JSON.parse(readFileSync(statusPath(stateDir), 'utf8')) as AgentStatus;
}

/** Running means: the recorded process exists and wrote its status recently. */
export function isLive(s: AgentStatus, at = now()): boolean {
  if (s.state === 'stopped') return false;
  try {
    process.kill(s.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return at - Date.parse(s.updated_at) < 3 * s.status_every_seconds * 1000 + 5000;
}
