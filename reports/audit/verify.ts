// reports/audit/verify.ts: `sentra audit-bundle verify`: recomputes every file's SHA-256 and size and
// compares them with manifest.json: missing, extra and altered files are each reported.
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import type { Manifest } from './bundle.js';

export interface VerifyResult {
  ok: boolean;
  files: number;
  missing: string[];
  extra: string[];
  altered: string[];
  problems: string[];
}

function readAll(zipPath: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, strictFileNames: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('cannot open the zip'));
      const out = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
          const parts: Buffer[] = [];
          stream.on('data', (d: Buffer) => parts.push(d));
          stream.on('error', reject);
          stream.on('end', () => {
            if (out.has(entry.fileName)) out.set(`${entry.fileName} (duplicate)`, Buffer.alloc(0));
            else out.set(entry.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

export async function verifyBundle(zipPath: string): Promise<VerifyResult> {
  const r: VerifyResult = { ok: false, files: 0, missing: [], extra: [], altered: [], problems: [] };
  let contents: Map<string, Buffer>;
  try {
    contents = await readAll(zipPath);
  } catch (err) {
    r.problems.push(`not a readable zip: ${(err as Error).message}`);
    return r;
  }
  const raw = contents.get('manifest.json');
  if (!raw) {
    r.problems.push('manifest.json is missing');
    return r;
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(raw.toString('utf8')) as Manifest;
  } catch (err) {
    r.problems.push(`manifest.json is not valid JSON: ${(err as Error).message}`);
    return r;
  }
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const data = contents.get(f.path);
    if (!data) r.missing.push(f.path);
    else if (data.length !== f.size || createHash('sha256').update(data).digest('hex') !== f.sha256) r.altered.push(f.path);
    else r.files++;
  }
  for (const name of contents.keys()) if (name !== 'manifest.json' && !listed.has(name)) r.extra.push(name);
  r.ok = r.missing.length === 0 && r.extra.length === 0 && r.altered.length === 0 && r.problems.length === 0;
  return r;
}
