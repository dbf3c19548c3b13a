// reports/audit/bundle.ts: writes the audit-evidence zip with archiver, with manifest.json first.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { ZipArchive } from 'archiver';
import type { BundleFile } from './contents.js';

export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
}

export interface Manifest {
  bundle_version: 1;
  hosts: string[];
  from: string;
  to: string;
  files: ManifestEntry[];
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export function manifestFor(files: BundleFile[], meta: Omit<Manifest, 'bundle_version' | 'files'>): Manifest {
  return { bundle_version: 1, ...meta, files: files.map((f) => ({ path: f.path, sha256: sha256(f.data), size: f.data.length })) };
}

/** Writes the zip: entries in path order, one fixed date and mode, so equal inputs give equal bytes. */
export async function writeZip(out: string, files: BundleFile[], manifest: Manifest, date: Date): Promise<number> {
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const sink = createWriteStream(out, { mode: 0o640 });
  const done = new Promise<void>((resolve, reject) => {
    sink.on('close', () => resolve());
    sink.on('error', reject);
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  archive.pipe(sink);
  const entries: BundleFile[] = [{ path: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }, ...files];
  for (const f of entries) archive.append(f.data, { name: f.path, date, mode: 0o644 });
  await archive.finalize();
  await done;
  return archive.pointer();
}
