// agent/cli/doctor/run.ts: `sentra doctor`: every finding with its fix, as text or JSON; exit 1 when any
// check fails (warnings alone exit 0). `--bundle FILE` also writes a support archive (see bundle.ts).
import { existsSync } from 'node:fs';
import type { Config } from '../../config/load.js';
import { SentraError } from '../../errors.js';
import { redact } from '../../redact.js';
import { now } from '../../clock.js';
import { resolveConfig, type DaemonOptions } from '../daemon.js';
import { EXIT } from '../exit.js';
import { DEFAULT_CONFIG_PATH } from '../../paths.js';
import { accountFindings, agentFindings, clockFindings, configFindings, sourceFindings, stateFindings, uiTokenFindings, type DoctorContext, type Finding } from './checks.js';
import { reachFindings } from './reach.js';

export interface DoctorOptions extends DaemonOptions {
  format: string;
  serviceUser: string;
  bundle?: string;
  network: boolean;
}

export async function doctorFindings(cfg: Config, configFile: string | null, opts: Pick<DoctorOptions, 'serviceUser' | 'network'>): Promise<Finding[]> {
  const ctx: DoctorContext = { cfg, configFile, serviceUser: opts.serviceUser, passwd: '/etc/passwd', group: '/etc/group', now: now() };
  const { findings: accounts, account } = accountFindings(ctx);
  return [
    ...configFindings(ctx), ...accounts, ...sourceFindings(ctx, account), ...stateFindings(ctx, account), ...uiTokenFindings(ctx), ...agentFindings(ctx),
    ...clockFindings(ctx, null), ...(opts.network ? await reachFindings(cfg) : []),
  ];
}

const MARK: Record<Finding['verdict'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

export function findingsText(findings: Finding[]): string {
  const lines = findings.map((f) => `${MARK[f.verdict]}  ${f.check.padEnd(13)} ${f.message}${f.fix ? `\n      fix: ${f.fix}` : ''}`);
  const count = (v: Finding['verdict']): number => findings.filter((f) => f.verdict === v).length;
  lines.push('', `${count('fail')} failed, ${count('warn')} to look at, ${count('ok')} ok`);
  // Log lines and paths are printed: no control characters reach the terminal.
  return `${redact(lines.join('\n')).replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?')}\n`;
}

export async function runDoctor(opts: DoctorOptions): Promise<number> {
  if (!['text', 'json'].includes(opts.format)) throw new SentraError('ERR_USAGE', `--format must be text or json, not "${opts.format}"`);
  const configFile = opts.config ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : null);
  let cfg: Config;
  try {
    cfg = resolveConfig(opts);
  } catch (err) {
    // A config that does not load is the first finding, not a crash; nothing else can be judged without it.
    const f: Finding = { check: 'config', verdict: 'fail', message: (err as Error).message, fix: 'fix the named key (sentra check shows the same)' };
    process.stdout.write(opts.format === 'json' ? `${redact(JSON.stringify({ findings: [f] }, null, 2))}\n` : findingsText([f]));
    return EXIT.NOT_FOUND;
  }
  const findings = await doctorFindings(cfg, configFile, opts);
  if (opts.bundle) {
    const { writeSupportBundle } = await import('./bundle.js');
    const bytes = await writeSupportBundle(opts.bundle, cfg, configFile, findings);
    process.stderr.write(`support bundle: ${opts.bundle} (${bytes.toLocaleString('en-US')} bytes, secrets redacted)\n`);
  }
  process.stdout.write(opts.format === 'json' ? `${redact(JSON.stringify({ findings }, null, 2))}\n` : findingsText(findings));
  return findings.some((f) => f.verdict === 'fail') ? EXIT.NOT_FOUND : EXIT.OK;
}
