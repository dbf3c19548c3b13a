// test/helpers/run.ts: runs the real CLI in-process-free (a child process of the built entry or the TS
// sources through vitest's loader is avoided): we call runScan directly and capture stdout.
import { Writable } from 'node:stream';
import { runScan, type ScanOptions } from '../../agent/cli/scan.js';
import type { Incident, Signal } from '../../agent/model.js';

export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString('utf8');
    cb();
  }
}

export async function scanSignals(files: string[], opts: Partial<ScanOptions> = {}): Promise<Signal[]> {
  const out = new Capture();
  const code = await runScan(files, { format: 'jsonl', quiet: true, ...opts }, out);
  if (code !== 0) throw new Error(`scan exited ${code}`);
  return out.text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Signal);
}

/** Turns CLI-style args (--year 2026 --timezone UTC --overrides f) into ScanOptions. */
export function optionsFromArgs(args: string[]): Partial<ScanOptions> {
  const o: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) o[args[i]!.replace(/^--/, '')] = args[i + 1]!;
  return o as Partial<ScanOptions>;
}

/** `scan --incidents --format jsonl`: the incidents of these files. */
export async function scanIncidents(files: string[], opts: Partial<ScanOptions> = {}): Promise<Incident[]> {
  const out = new Capture();
  const code = await runScan(files, { format: 'jsonl', quiet: true, incidents: true, ...opts }, out);
  if (code !== 0) throw new Error(`scan exited ${code}`);
  return out.text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Incident);
}
