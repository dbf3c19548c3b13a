// A bundle that proves itself: signed with the install's Ed25519 key; an edited decision log with a
// recomputed manifest fails; a bundle re-signed with another key passes only until the auditor names the real
// key; a directory entry carrying data fails; a missing file is a usage error (exit 2).
import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/agent.js';
import { sentra } from '../helpers/cli.js';
import { scenarioStore } from '../helpers/store.js';

/** Rewrites a zip with python's zipfile: `edit` is python code over `files` (name → bytes) and `extra` entries. */
function rewrite(src: string, dst: string, edit: string): void {
  const py = `import sys, zipfile, json, hashlib
src, dst = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(src)
files = {n: z.read(n) for n in z.namelist()}
extra = []
${edit}
with zipfile.ZipFile(dst, 'w') as out:
    for n, d in files.items():
        out.writestr(n, d)
    for info, d in extra:
        out.writestr(info, d)
`;
  execFileSync('python3', ['-c', py, src, dst]);
}


describe('signed audit bundles', () => {
  it('are signed by the install key and verified against it, and edits with a recomputed manifest fail', async () => {
    const { dir, configFile } = await scenarioStore();
    const key = join(dir, 'bundle-signing.key');
    const cfg = join(dir, 'signed.json');
    writeFileSync(cfg, JSON.stringify({ ...JSON.parse(execFileSync('node', ['-e', `const y=require('${join(process.cwd(), 'node_modules', 'yaml')}');process.stdout.write(JSON.stringify(y.parse(require('fs').readFileSync('${configFile}','utf8'))))`], { encoding: 'utf8' })), audit: { signing_key_file: key } }));
    const created = sentra(['audit-bundle', 'key', '--create', '--config', cfg, '--format', 'json']);
    expect(created.code, created.stderr).toBe(0);
    const { fingerprint, public_key: pub } = JSON.parse(created.stdout) as { fingerprint: string; public_key: string };
    expect(fingerprint).toMatch(/^SHA256:[0-9a-f]{64}$/);
    expect(statSync(key).mode & 0o777).toBe(0o640);
    // --create again keeps the key (the package's postinst runs it on every upgrade).
    expect(JSON.parse(sentra(['audit-bundle', 'key', '--create', '--config', cfg, '--format', 'json']).stdout).fingerprint).toBe(fingerprint);

    const signals = sentra(['signals', '--config', cfg, '--since', '2000-01-01', '--format', 'jsonl']).stdout.trim().split('\n');
    const one = (JSON.parse(signals[0]!) as { id: string }).id;
    sentra(['decide', one, '--config', cfg, '--status', 'escalated', '--by', 'maria', '--note', 'ask the customer']);
    const zip = join(dir, 'b.zip');
    const made = sentra(['audit-bundle', '--config', cfg, '--from', '2026-02-01', '--to', '2026-11-30', '--out', zip]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).not.toContain('not signed');

    const plain = sentra(['audit-bundle', 'verify', zip]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('checked only against the key inside the bundle');
    expect(sentra(['audit-bundle', 'verify', zip, '--fingerprint', fingerprint]).stdout).toContain('signature valid with the key you gave');
    const pubFile = join(dir, 'pub.pem');
    writeFileSync(pubFile, pub);
    expect(sentra(['audit-bundle', 'verify', zip, '--public-key', pubFile]).code).toBe(0);

    // The attack: drop the escalation and put the new hash and size into the manifest.
    const edited = join(dir, 'edited.zip');
    rewrite(zip, edited, `
files['decisions.jsonl'] = b''.join(l + b'\\n' for l in files['decisions.jsonl'].split(b'\\n') if l and b'escalated' not in l)
m = json.loads(files['manifest.json'])
for f in m['files']:
    if f['path'] == 'decisions.jsonl':
        f['sha256'] = hashlib.sha256(files['decisions.jsonl']).hexdigest(); f['size'] = len(files['decisions.jsonl'])
files['manifest.json'] = (json.dumps(m, indent=2) + '\\n').encode()`);
    const v = sentra(['audit-bundle', 'verify', edited]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('the signature does not match manifest.json');

    // Re-signed with another key: fine by itself, refused once the auditor names the real key.
    const resigned = join(dir, 'resigned.zip');
    rewrite(edited, resigned, `
import subprocess, base64
work = '${dir}'
k = subprocess.run(['openssl', 'genpkey', '-algorithm', 'ed25519'], capture_output=True, check=True).stdout
open(work + '/other.key', 'wb').write(k)
open(work + '/manifest.json', 'wb').write(files['manifest.json'])
files['manifest.sig'] = base64.b64encode(subprocess.run(['openssl', 'pkeyutl', '-sign', '-inkey', work + '/other.key', '-rawin', '-in', work + '/manifest.json'], capture_output=True, check=True).stdout) + b'\\n'
files['signing-key.pub'] = subprocess.run(['openssl', 'pkey', '-in', work + '/other.key', '-pubout'], capture_output=True, check=True).stdout`);
    expect(sentra(['audit-bundle', 'verify', resigned]).code).toBe(0);
    const trusted = sentra(['audit-bundle', 'verify', resigned, '--fingerprint', fingerprint]);
    expect(trusted.code).toBe(1);
    expect(trusted.stdout).toContain('not with the key whose fingerprint was given');

    // A directory entry that carries data.
    const withDir = join(dir, 'dir.zip');
    rewrite(zip, withDir, `
info = zipfile.ZipInfo('reports/')
info.external_attr = (0o40755 << 16) | 0x10
extra.append((info, b'hidden data'))`);
    const d = sentra(['audit-bundle', 'verify', withDir]);
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('reports/ (not a regular file)');

    const missing = sentra(['audit-bundle', 'verify', join(dir, 'nope.zip')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[ERR_INPUT_NOT_FOUND]');
  }, 120_000);
});
