// agent/cli/check.ts: `sentra check` (config, rules, overrides: what ExecStartPre runs) and `sentra rules`.
import { existsSync } from 'node:fs';
import { loadConfig } from '../config/load.js';
import { assertSecretsAndTransport } from '../config/secrets.js';
import { loadRules } from '../match/load-rules.js';
import { loadOverrides } from '../override/load.js';
import { bundledRulesDir, DEFAULT_CONFIG_PATH } from '../paths.js';
import { SentraError } from '../errors.js';
import { EXIT } from './exit.js';

/** Without --config, checks the installed config when there is one: the file the service will start with. */
export function runCheck(opts: { config?: string; overrides?: string; rules?: string[]; format: string }): number {
  if (!['text', 'json'].includes(opts.format)) throw new SentraError('ERR_USAGE', `--format must be one of text, json, not "${opts.format}"`);
  const file = opts.config ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : undefined);
  const config = loadConfig(file);
  const warnings = assertSecretsAndTransport(config, file ?? '(defaults)');
  const rules = loadRules([bundledRulesDir(), ...config.rules_dirs, ...(opts.rules ?? [])]);
  const overridesFile = opts.overrides ?? config.overrides;
  const o = overridesFile ? loadOverrides(overridesFile) : undefined;
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify({ ok: true, config: file ?? null, rules: rules.rules.length, rule_files: rules.files.length,
      rules_version: rules.version, overrides: o ? { file: o.file, count: o.overrides.length } : null })}\n`);
  } else {
    process.stdout.write(`ok: config ${file ?? '(defaults)'}, ${rules.rules.length} rules in ${rules.files.length} files (version ${rules.version})`
      + `${o ? `, ${o.overrides.length} overrides in ${o.file}` : ''}\n`);
  }
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  return EXIT.OK;
}

export function runRules(opts: { format: string; rules?: string[] }): number {
  if (!['text', 'json'].includes(opts.format)) throw new SentraError('ERR_USAGE', `--format must be one of text, json, not "${opts.format}"`);
  const set = loadRules([bundledRulesDir(), ...(opts.rules ?? [])]);
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify({ version: set.version, attack_version: set.taxonomy.attackVersion, rules: set.rules.map((r) => ({
      id: r.spec.id, title: r.spec.title, programs: r.spec.programs, intent: r.spec.intent, outcome: r.spec.outcome,
      severity: r.spec.severity, mitre: r.spec.mitre, soc2: r.spec.soc2, iso27001: r.spec.iso27001 })) }, null, 2)}\n`);
  } else {
    for (const r of set.rules) {
      process.stdout.write(`${r.spec.id.padEnd(40)} ${r.spec.intent.padEnd(20)} ${r.spec.severity.padEnd(8)} ${r.spec.mitre.join(',')}\n`);
    }
    process.stdout.write(`${set.rules.length} rules, version ${set.version}, ATT&CK v${set.taxonomy.attackVersion}\n`);
  }
  return EXIT.OK;
}
