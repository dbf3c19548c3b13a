// agent/cli/audit.ts: `sentra audit-bundle` and `sentra audit-bundle verify`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules } from '../match/load-rules.js';
import { EMPTY_OVERRIDES, loadOverrides } from '../override/load.js';
import { bundledRulesDir } from '../paths.js';
import { LocalStore } from '../store/local-store.js';
import { manifestBytes, manifestFor, writeZip } from '../../reports/audit/bundle.js';
import { bundleContents } from '../../reports/audit/contents.js';
import { verifyBundle, type VerifyResult } from '../../reports/audit/verify.js';
import { createSigningKey, fingerprint, loadSigningKey, publicPem, signManifest } from '../../reports/audit/signing.js';
import { SentraError } from '../errors.js';
import { createPublicKey } from 'node:crypto';
import { dayRange, type Period } from '../../reports/period.js';
import { resolveConfig, type DaemonOptions } from './daemon.js';
import { EXIT } from './exit.js';
import { nowDate, now as clockNow } from '../clock.js';

const DAY = 86_400_000;
const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function defaultPeriod(now = clockNow()): Period {
  const today = Math.floor(now / DAY) * DAY;
  return dayRange(ymd(today - 90 * DAY), ymd(today - DAY));
}

export async function runBundle(opts: DaemonOptions & { from?: string; to?: string; out?: string; host?: string; format: string }): Promise<number> {
  const cfg = resolveConfig(opts);
  const period = opts.from || opts.to ? dayRange(opts.from ?? '', opts.to ?? '') : defaultPeriod();
  const rules = loadRules([bundledRulesDir(), ...cfg.rules_dirs]);
  const overrides = cfg.overrides && existsSync(cfg.overrides) ? loadOverrides(cfg.overrides) : EMPTY_OVERRIDES;
  const store = new LocalStore(cfg.state_dir, cfg.store);
  const host = opts.host ?? cfg.host;
  const { files, hosts, signals } = bundleContents({ cfg, store, period, overrides, rules, ...(host ? { host } : {}) });
  const from = ymd(period.from);
  const to = ymd(period.to - DAY);
  const who = host ?? (hosts.length === 1 ? hosts[0]! : hosts.length === 0 ? 'none' : 'fleet');
  const stamp = nowDate().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = `sentra-audit-${who}-${from}-${to}-${stamp}.zip`;
  const out = opts.out ? (existsSync(opts.out) && statSync(opts.out).isDirectory() ? join(opts.out, name) : opts.out) : name;
  const manifest = manifestFor(files, { hosts, from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() });
  // Signed with the install's Ed25519 key; without one the bundle is still written, and says it is unsigned.
  const keyFile = cfg.audit.signing_key_file;
  let signed: { signature: Buffer; publicKeyPem: string } | undefined;
  if (existsSync(keyFile)) {
    const key = loadSigningKey(keyFile);
    signed = { signature: signManifest(key, manifestBytes(manifest)), publicKeyPem: publicPem(createPublicKey(key)) };
  } else {
    process.stderr.write(`warning: the bundle is not signed: no key at ${keyFile} (create one with: sentra audit-bundle key --create)\n`);
  }
  // Entry dates are the end of the period, not the time of writing: equal inputs, equal bytes.
  const bytes = await writeZip(out, files, manifest, new Date(period.to - 1000), signed);
  if (opts.format === 'json') process.stdout.write(`${JSON.stringify({ file: out, bytes, signals, files: files.length + 1, from, to })}\n`);
  else process.stdout.write(`wrote ${out}: ${signals} signals, ${files.length + 1} files, ${bytes} bytes (${from} to ${to})\n`);
  return EXIT.OK;
}

const SIGNATURE_WORDS: Record<VerifyResult['signature'], string> = {
  unsigned: 'not signed: only accidents are detected, not deliberate edits',
  'bundle-key': 'signature valid, checked only against the key inside the bundle (give --public-key or --fingerprint from the host to trust it)',
  'trusted-key': 'signature valid with the key you gave',
  invalid: 'signature INVALID',
};

export async function runVerify(file: string, opts: { format: string; publicKey?: string; fingerprint?: string }): Promise<number> {
  if (!existsSync(file)) throw new SentraError('ERR_INPUT_NOT_FOUND', 'no such file', file);
  let publicKeyPem: string | undefined;
  if (opts.publicKey) {
    try { publicKeyPem = readFileSync(opts.publicKey, 'utf8'); } catch (err) { throw new SentraError('ERR_INPUT_NOT_FOUND', `cannot read: ${(err as Error).message}`, opts.publicKey); }
  }
  const r = await verifyBundle(file, { ...(publicKeyPem !== undefined ? { publicKeyPem } : {}), ...(opts.fingerprint ? { fingerprint: opts.fingerprint } : {}) });
  const format = opts.format;
  if (format === 'json') process.stdout.write(`${JSON.stringify({ file, ...r })}\n`);
  else if (r.ok) process.stdout.write(`${file}: intact, ${r.files} files match manifest.json; ${SIGNATURE_WORDS[r.signature]}${r.fingerprint ? ` (${r.fingerprint})` : ''}\n`);
  else {
    process.stdout.write(`${file}: does not match its manifest\n`);
    for (const p of r.problems) process.stdout.write(`  ${p}\n`);
    for (const m of r.missing) process.stdout.write(`  missing: ${m}\n`);
    for (const m of r.extra) process.stdout.write(`  not in the manifest: ${m}\n`);
    for (const m of r.altered) process.stdout.write(`  altered: ${m}\n`);
    process.stdout.write(`  ${SIGNATURE_WORDS[r.signature]}${r.fingerprint ? ` (${r.fingerprint})` : ''}\n`);
  }
  return r.ok ? EXIT.OK : EXIT.NOT_FOUND;
}

/** `sentra audit-bundle key [--create]`: the public key and fingerprint an auditor checks bundles against. */
export function runKey(opts: DaemonOptions & { create?: boolean; format: string }): number {
  const cfg = resolveConfig(opts);
  const file = cfg.audit.signing_key_file;
  let pub;
  if (!existsSync(file)) {
    if (!opts.create) throw new SentraError('ERR_INPUT_NOT_FOUND', 'no signing key yet (create it with --create)', file);
    try {
      pub = createSigningKey(file);
    } catch (err) {
      throw new SentraError('ERR_INPUT_READ', (err as Error).message, file);
    }
  } else pub = createPublicKey(loadSigningKey(file));
  const out = { key_file: file, algorithm: 'Ed25519', fingerprint: fingerprint(pub), public_key: publicPem(pub) };
  if (opts.format === 'json') process.stdout.write(`${JSON.stringify(out)}\n`);
  else process.stdout.write(`Ed25519 key ${file}\nfingerprint ${out.fingerprint}\n${out.public_key}`);
  return EXIT.OK;
}
