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
/** The manifest's bytes as written into the bundle (what the signature covers). */
export const manifestBytes = (m: Manifest): Buffer => Buffer.from(`${JSON.stringify(m, null, 2)}\n`);

export async function writeZip(out: string, files: BundleFile[], manifest: Manifest, date: Date,
  signed?: { signature: Buffer; publicKeyPem: string }): Promise<number> {
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const sink = createWriteStream(out, { mode: 0o640 });
  const done = new Promise<void>((resolve, reject) => {
    sink.on('close', () => resolve());
    sink.on('error', reject);
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  archive.pipe(sink);
  // The signature and its public key cannot be in the manifest they sign: they follow it, and verify knows them.
  const entries: BundleFile[] = [{ path: 'manifest.json', data: manifestBytes(manifest) },
    ...(signed ? [{ path: 'manifest.sig', data: Buffer.from(`${signed.signature.toString('base64')}\n`) },
      { path: 'signing-key.pub', data: Buffer.from(signed.publicKeyPem) }] : []), ...files];
  for (const f of entries) archive.append(f.data, { name: f.path, date, mode: 0o644 });
  await archive.finalize();
  await done;
  return archive.pointer();
}
