// The decision log is hash-chained: removing or editing an entry breaks the chain at the entry after it, and
// `audit-bundle verify` names it, even in a bundle whose manifest was recomputed to match.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainProblem, GENESIS } from '../../agent/decisions/chain.js';
import { appendDecision, decisionsPath } from '../../agent/decisions/decisions.js';
import { tempDir } from '../helpers/agent.js';
import { sentra } from '../helpers/cli.js';
import { scenarioStore } from '../helpers/store.js';

describe('hash-chained decisions', () => {
  it('holds for the log as written and breaks at the entry after a removed or edited one', () => {
    const dir = tempDir('sentra-chain-');
    for (const [i, status] of (['reviewed', 'escalated', 'resolved'] as const).entries()) {
      appendDecision(dir, { signal_id: `a1b2c3d4e5f${i}`, status, note: '', by: 'maria' }, new Date(Date.UTC(2026, 2, 10 + i)));
    }
    const lines = readFileSync(decisionsPath(dir), 'utf8').split('\n').filter(Boolean);
    expect(JSON.parse(lines[0]!).prev).toBe(GENESIS);
    expect(chainProblem(lines)).toBeNull();
    expect(chainProblem([lines[0]!, lines[2]!])).toMatchObject({ line: 2 });
    expect(chainProblem([lines[0]!.replace('maria', 'mallory'), lines[1]!, lines[2]!])).toMatchObject({ line: 2 });
    expect(chainProblem([lines[1]!, lines[2]!])).toMatchObject({ line: 1 });
  });

  it('is checked by verify, which names the first broken entry of an edited bundle', async () => {
    const { dir, configFile } = await scenarioStore();
    const id = (JSON.parse(sentra(['signals', '--config', configFile, '--since', '2000-01-01', '--format', 'jsonl']).stdout.split('\n')[0]!) as { id: string }).id;
    for (const status of ['reviewed', 'escalated', 'resolved']) sentra(['decide', id, '--config', configFile, '--status', status, '--by', 'maria']);
    const zip = join(dir, 'b.zip');
    expect(sentra(['audit-bundle', '--config', configFile, '--from', '2026-02-01', '--to', '2026-11-30', '--out', zip]).code).toBe(0);
    expect(sentra(['audit-bundle', 'verify', zip]).code).toBe(0);
    const edited = join(dir, 'edited.zip');
    execFileSync('python3', ['-c', `import sys, zipfile, json, hashlib
z = zipfile.ZipFile(sys.argv[1]); files = {n: z.read(n) for n in z.namelist()}
for name in ['decisions.jsonl', 'decisions/log.jsonl']:
    files[name] = b''.join(l + b'\\n' for l in files[name].split(b'\\n') if l and b'escalated' not in l)
m = json.loads(files['manifest.json'])
for f in m['files']:
    if f['path'] in files:
        f['sha256'] = hashlib.sha256(files[f['path']]).hexdigest(); f['size'] = len(files[f['path']])
files['manifest.json'] = (json.dumps(m, indent=2) + '\\n').encode()
with zipfile.ZipFile(sys.argv[2], 'w') as out:
    for n, d in files.items(): out.writestr(n, d)`, zip, edited]);
    const v = sentra(['audit-bundle', 'verify', edited]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/decisions\/log\.jsonl: the hash chain breaks at entry \d+/);
  }, 60_000);
});
