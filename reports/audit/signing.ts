// reports/audit/signing.ts: the bundle's signature. An Ed25519 key made at install (or by `sentra audit-bundle
// key --create`) signs manifest.json; the bundle carries the signature (manifest.sig) and the public key
// (signing-key.pub). Whoever edits a file and its hash in the manifest cannot sign the new manifest. An auditor
// checks against a key or fingerprint obtained apart from the bundle (`verify --public-key/--fingerprint`);
// checked only against the key inside the bundle, a signature proves less, and verify says so.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readSecretFile } from '../../agent/config/secret-file.js';

/** SHA256:<hex> of the public key's DER (SPKI), as `audit-bundle key` prints it. */
export function fingerprint(pub: KeyObject): string {
  return `SHA256:${createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}

export function publicPem(pub: KeyObject): string {
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}

/** Creates the key (mode 0640, group sentra when there is one, so the service can sign); refuses to overwrite. */
export function createSigningKey(path: string): KeyObject {
  if (existsSync(path)) throw new Error(`${path} exists already; remove it first to make a new key`);
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o640, flag: 'wx' });
  const row = existsSync('/etc/group') ? readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith('sentra:')) : undefined;
  const gid = row ? Number(row.split(':')[2]) : null;
  if (gid !== null && process.getuid?.() === 0) chownSync(path, 0, gid);
  return createPublicKey(privateKey);
}

/** The private key, under the rule for every secret file (owner root or sentra, closed to others). */
export function loadSigningKey(path: string): KeyObject {
  return createPrivateKey(readSecretFile(path, 'the bundle signing key', 'audit.signing_key_file'));
}

export function signManifest(key: KeyObject, manifest: Buffer): Buffer {
  return sign(null, manifest, key);
}

export function signatureValid(pub: KeyObject, manifest: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, manifest, pub, signature);
  } catch {
    return false;
  }
}
