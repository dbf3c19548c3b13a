// agent/cli/doctor/bundle.ts: the support archive of `sentra doctor --bundle FILE`: what a maintainer needs to
// help (findings, versions, the config as written and as used, status, overrides, the agent's recent log)
// and nothing they must not see. Secret files are never read into it; every entry passes through redact(),
// which masks each secret the doctor read, credentials in URLs and secret-looking parameters. The store,
// the evidence lines and state.json stay on the host.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { release, type as osType } from 'node:os';
import { ZipArchive } from 'archiver';
import type { Config } from '../../config/load.js';
import { statusPath } from '../../daemon/status.js';
import { packageVersion } from '../../paths.js';
import { redact } from '../../redact.js';
import { nowDate } from '../../clock.js';
import type { Finding } from './checks.js';

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The agent's own recent log from the journal, when there is one. */
function journal(): string | null {
  const r = spawnSync('journalctl', ['-u', 'sentra', '-n', '1000', '--no-pager', '-o', 'short-iso'], { encoding: 'utf8', timeout: 20_000, maxBuffer: 1 << 26 });
  return r.status === 0 ? r.stdout : null;
}

export async function writeSupportBundle(out: string, cfg: Config, configFile: string | null, findings: Finding[]): Promise<number> {
  const entries: Array<[string, string]> = [
    ['doctor.json', JSON.stringify({ created_at: nowDate().toISOString(), findings }, null, 2)],
    ['versions.txt', [`sentra ${packageVersion()}`, `node ${process.version} (${process.arch})`, `${osType()} ${release()}`,
      (read('/etc/os-release') ?? '').split('\n').find((l) => l.startsWith('PRETTY_NAME=')) ?? ''].join('\n')],
    ['config-effective.json', JSON.stringify(cfg, null, 2)],
  ];
  const raw = configFile ? read(configFile) : null;
  if (raw !== null) entries.push(['config.yaml', raw]);
  const status = read(statusPath(cfg.state_dir));
  if (status !== null) entries.push(['status.json', status]);
  const overrides = cfg.overrides && existsSync(cfg.overrides) ? read(cfg.overrides) : null;
  if (overrides !== null) entries.push(['overrides.json', overrides]);
  const log = journal();
  if (log !== null) entries.push(['journal.txt', log]);
  entries.push(['README.txt', 'Made by `sentra doctor --bundle`. Secrets are masked as ***; secret files, the signal store,\n'
    + 'evidence lines and state.json are not included. Read it before you send it.']);

  const archive = new ZipArchive({ zlib: { level: 6 } });
  const sink = createWriteStream(out, { mode: 0o600 });
  const done = new Promise<void>((resolve, reject) => {
    sink.on('close', () => resolve());
    sink.on('error', reject);
    archive.on('error', reject);
  });
  archive.pipe(sink);
  for (const [name, text] of entries) archive.append(Buffer.from(`${redact(text).trimEnd()}\n`), { name: `sentra-support/${name}`, mode: 0o600 });
  await archive.finalize();
  await done;
  return archive.pointer();
}
