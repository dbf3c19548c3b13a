// The audit-evidence bundle, read back with real unzip implementations (yauzl, and Python's zipfile):
// its contents, byte-identical rebuilds, and tampering detected by `verify`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZipArchive } from 'archiver';
import { createWriteStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appendDecision } from '../../agent/decisions/decisions.js';
import { tempDir } from '../helpers/agent.js';
import { sentra } from '../helpers/cli.js';
import { scenarioStore } from '../helpers/store.js';

function unzipList(zip: string): Record<string, string> {
  const py = 'import sys,zipfile,json\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({n: z.read(n).decode("utf-8") for n in z.namelist()}))';
  return JSON.parse(execFileSync('python3', ['-c', py, zip], { encoding: 'utf8', maxBuffer: 1 << 26 })) as Record<string, string>;
}

async function rezip(out: string, files: Record<string, string>): Promise<void> {
  const archive = new ZipArchive();
  const sink = createWriteStream(out);
  const done = new Promise((r) => sink.on('close', r));
  archive.pipe(sink);
  for (const [name, data] of Object.entries(files)) archive.append(data, { name });
  await archive.finalize();
  await done;
}

describe('audit-bundle', () => {
  it('holds reports, signals, evidence, decisions, overrides, rules, controls and a manifest that verifies', async () => {
    const { dir, configFile } = await scenarioStore();
    const signals = sentra(['signals', '--config', configFile, '--since', '2000-01-01', '--format', 'jsonl']).stdout.trim().split('\n');
    const one = (JSON.parse(signals[0]!) as { id: string }).id;
    sentra(['decide', one, '--config', configFile, '--status', 'reviewed', '--by', 'maria', '--note', 'expected']);
    const r = sentra(['audit-bundle', '--config', configFile, '--from', '2026-02-01', '--to', '2026-11-30', '--out', dir, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const { file } = JSON.parse(r.stdout) as { file: string };
    expect(file).toMatch(/sentra-audit-web-01\+?.*-2026-02-01-2026-11-30-\d{8}T\d{6}Z\.zip$|sentra-audit-fleet-2026-02-01-2026-11-30-\d{8}T\d{6}Z\.zip$/);
    const files = unzipList(file);
    for (const name of ['manifest.json', 'signals.jsonl', 'incidents.jsonl', 'evidence.jsonl', 'decisions.jsonl', 'controls.csv', 'overrides/current.json',
      'overrides/history.jsonl', 'rules/catalogue.json', 'rules/version.json', 'reports/weekly-2026-W45.html', 'reports/weekly-2026-W45.md']) {
      expect(Object.keys(files), name).toContain(name);
    }
    expect(files['signals.jsonl']!.trim().split('\n').length).toBe(signals.length);
    expect(files['decisions.jsonl']).toContain(`"signal_id":"${one}"`);
    expect(files['controls.csv']!.split('\n')[0]).toBe('framework,control,name,signals,signal_ids,decisions,decision_summary,incident_ids');
    // The spray that found alice is one incident; the controls its signals evidence name it.
    const incidents = files['incidents.jsonl']!.trim().split('\n').map((l) => JSON.parse(l) as { id: string; signals: string[] });
    expect(incidents).toHaveLength(1);
    expect(files['controls.csv']).toMatch(new RegExp(`^ATT&CK,T1110\\.003,.*,${incidents[0]!.id}$`, 'm'));
    expect(files['controls.csv']).toMatch(/^SOC 2,CC6\.1,/m);
    expect(files['overrides/history.jsonl']).toContain('patch-window');
    const manifest = JSON.parse(files['manifest.json']!) as { files: Array<{ path: string }> };
    expect(manifest.files.map((f) => f.path).sort()).toEqual(Object.keys(files).filter((n) => n !== 'manifest.json').sort());
    const v = sentra(['audit-bundle', 'verify', file]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('intact');
  }, 60_000);

  it('gives byte-identical archives for the same inputs', async () => {
    const { configFile } = await scenarioStore();
    const out = tempDir('sentra-bundle-');
    const a = join(out, 'a.zip');
    const b = join(out, 'b.zip');
    for (const f of [a, b]) expect(sentra(['audit-bundle', '--config', configFile, '--from', '2026-11-01', '--to', '2026-11-15', '--out', f]).code).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  }, 30_000);

  it('detects altered, missing and extra files', async () => {
    const { configFile } = await scenarioStore();
    const out = tempDir('sentra-bundle-');
    const good = join(out, 'good.zip');
    sentra(['audit-bundle', '--config', configFile, '--from', '2026-11-01', '--to', '2026-11-15', '--out', good]);
    const files = unzipList(good);
    const tampered = join(out, 'tampered.zip');
    const changed = { ...files, 'signals.jsonl': files['signals.jsonl']!.replace('"band":"info"', '"band":"low"'), 'extra.txt': 'hello' };
    delete (changed as Record<string, string>)['controls.csv'];
    await rezip(tampered, changed);
    const v = sentra(['audit-bundle', 'verify', tampered, '--format', 'json']);
    expect(v.code).toBe(1);
    const r = JSON.parse(v.stdout) as { altered: string[]; missing: string[]; extra: string[] };
    expect(r).toMatchObject({ altered: ['signals.jsonl'], missing: ['controls.csv'], extra: ['extra.txt'] });
    const text = sentra(['audit-bundle', 'verify', tampered]);
    expect(text.stdout).toContain('altered: signals.jsonl');
  }, 30_000);

  it('says so when the file is not a zip at all', () => {
    const v = sentra(['audit-bundle', 'verify', join(import.meta.dirname, 'bundle.test.ts')]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('not a readable zip');
  });
});
