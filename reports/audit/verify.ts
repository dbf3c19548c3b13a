// reports/audit/verify.ts: `sentra audit-bundle verify`: recomputes every file's SHA-256 and size and
// compares them with manifest.json: missing, extra and altered files are each reported.
import { createHash } from 'node:crypto';
import { createPublicKey, type KeyObject } from 'node:crypto';
import yauzl from 'yauzl';
import { fingerprint, signatureValid } from './signing.js';
import { chainProblem } from '../../agent/decisions/chain.js';
import type { Manifest } from './bundle.js';

export interface VerifyResult {
  ok: boolean;
  files: number;
  missing: string[];
  extra: string[];
  altered: string[];
  problems: string[];
  /** unsigned; valid against the key in the bundle only; valid against a key the auditor trusts; invalid. */
  signature: 'unsigned' | 'bundle-key' | 'trusted-key' | 'invalid';
  fingerprint: string | null;
}

export interface TrustedKey {
  publicKeyPem?: string;
  fingerprint?: string;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

function readAll(zipPath: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, strictFileNames: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('cannot open the zip'));
      const out = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        // Only regular files belong in a bundle: a directory entry (even one carrying data) or a link is a failure.
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        if (entry.fileName.endsWith('/') || (mode !== 0 && mode !== S_IFREG)) {
          out.set(`${entry.fileName} (not a regular file)`, Buffer.alloc(0));
          return zip.readEntry();
        }
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

export async function verifyBundle(zipPath: string, trusted: TrustedKey = {}): Promise<VerifyResult> {
  const r: VerifyResult = { ok: false, files: 0, missing: [], extra: [], altered: [], problems: [], signature: 'unsigned', fingerprint: null };
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
  checkSignature(r, raw, contents, trusted);
  const listed = new Set<string>(['manifest.sig', 'signing-key.pub']);
  for (const f of manifest.files) {
    listed.add(f.path);
    const data = contents.get(f.path);
    if (!data) r.missing.push(f.path);
    else if (data.length !== f.size || createHash('sha256').update(data).digest('hex') !== f.sha256) r.altered.push(f.path);
    else r.files++;
  }
  for (const name of contents.keys()) if (name !== 'manifest.json' && !listed.has(name)) r.extra.push(name);
  checkDecisionChain(r, contents);
  r.ok = r.missing.length === 0 && r.extra.length === 0 && r.altered.length === 0 && r.problems.length === 0 && r.signature !== 'invalid'
    && (trusted.publicKeyPem === undefined && trusted.fingerprint === undefined ? true : r.signature === 'trusted-key');
  return r;
}

/** The decision log's hash chain, and every decision of the period view present in it. */
function checkDecisionChain(r: VerifyResult, contents: Map<string, Buffer>): void {
  const log = contents.get('decisions/log.jsonl');
  if (!log) return;
  const lines = log.toString('utf8').split('\n').filter(Boolean);
  const broken = chainProblem(lines);
  if (broken) r.problems.push(`decisions/log.jsonl: the hash chain breaks at entry ${broken.line}: ${broken.why}`);
  const all = new Set(lines);
  const view = (contents.get('decisions.jsonl')?.toString('utf8') ?? '').split('\n').filter(Boolean);
  const missing = view.filter((l) => !all.has(l));
  if (missing.length) r.problems.push(`decisions.jsonl holds ${missing.length} decisions that are not in decisions/log.jsonl`);
}

function checkSignature(r: VerifyResult, manifest: Buffer, contents: Map<string, Buffer>, trusted: TrustedKey): void {
  const sig = contents.get('manifest.sig');
  const pem = contents.get('signing-key.pub');
  if (!sig || !pem) {
    if (sig || pem) r.problems.push('manifest.sig and signing-key.pub must come together');
    if (trusted.publicKeyPem !== undefined || trusted.fingerprint !== undefined) r.problems.push('the bundle is not signed, so it cannot be checked against the key given');
    return;
  }
  let pub: KeyObject;
  try {
    pub = createPublicKey(pem.toString('utf8'));
  } catch {
    r.signature = 'invalid';
    r.problems.push('signing-key.pub is not a public key');
    return;
  }
  r.fingerprint = fingerprint(pub);
  if (!signatureValid(pub, manifest, Buffer.from(sig.toString('utf8').trim(), 'base64'))) {
    r.signature = 'invalid';
    r.problems.push('the signature does not match manifest.json: the manifest was changed after it was signed');
    return;
  }
  r.signature = 'bundle-key';
  if (trusted.publicKeyPem !== undefined) {
    let key: KeyObject | undefined;
    try { key = createPublicKey(trusted.publicKeyPem); } catch { r.problems.push('the public key given is not a public key'); }
    if (key && fingerprint(key) === r.fingerprint) r.signature = 'trusted-key';
    else if (key) r.problems.push(`signed with ${r.fingerprint}, not with the key given (${fingerprint(key)})`);
  } else if (trusted.fingerprint !== undefined) {
    const want = trusted.fingerprint.trim().replace(/^SHA256:/i, '').toLowerCase();
    if (`SHA256:${want}` === r.fingerprint) r.signature = 'trusted-key';
    else r.problems.push(`signed with ${r.fingerprint}, not with the key whose fingerprint was given`);
  }
}
