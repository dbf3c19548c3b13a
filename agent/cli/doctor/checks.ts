// agent/cli/doctor/checks.ts: what usually goes wrong on a host, each as a finding with its fix: the config,
// rules and overrides; secret files; the service user and its groups; its read access to every configured log
// and to the journal; the state directory's owner and free space; the agent's own status; the clock.
import { existsSync, readdirSync, statfsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { Config } from '../../config/load.js';
import { checkSecretsAndTransport } from '../../config/secrets.js';
import { isLive, readStatus } from '../../daemon/status.js';
import { loadRules } from '../../match/load-rules.js';
import { loadOverrides } from '../../override/load.js';
import { bundledRulesDir } from '../../paths.js';
import { groupId, lookupAccount, readProblem, type Account } from './access.js';
import { tokenModeProblem, uiTokenFile } from '../../ui/token.js';

export type Verdict = 'ok' | 'warn' | 'fail';

export interface Finding {
  check: string;
  verdict: Verdict;
  message: string;
  fix?: string;
}

export interface DoctorContext {
  cfg: Config;
  configFile: string | null;
  serviceUser: string;
  passwd: string;
  group: string;
  now: number;
}

const ok = (check: string, message: string): Finding => ({ check, verdict: 'ok', message });
const warn = (check: string, message: string, fix: string): Finding => ({ check, verdict: 'warn', message, fix });
const fail = (check: string, message: string, fix: string): Finding => ({ check, verdict: 'fail', message, fix });

export function configFindings(ctx: DoctorContext): Finding[] {
  const out: Finding[] = [ok('config', `${ctx.configFile ?? '(defaults)'} is valid`)];
  try {
    const rules = loadRules([bundledRulesDir(), ...ctx.cfg.rules_dirs]);
    out.push(ok('rules', `${rules.rules.length} rules in ${rules.files.length} files (version ${rules.version})`));
  } catch (err) {
    out.push(fail('rules', (err as Error).message, 'fix or remove the named rule file, then run sentra check'));
  }
  if (ctx.cfg.overrides) {
    try {
      const o = loadOverrides(ctx.cfg.overrides);
      out.push(ok('overrides', `${o.overrides.length} overrides in ${o.file}`));
    } catch (err) {
      out.push(fail('overrides', (err as Error).message, 'fix the named line (sentra overrides check shows every problem)'));
    }
  }
  const { problems, warnings } = checkSecretsAndTransport(ctx.cfg);
  for (const p of problems) out.push(fail('secrets', p, 'chown root:sentra FILE && chmod 640 FILE (or 600 owned by sentra), and keep it non-empty'));
  for (const w of warnings) out.push(warn('transport', w, 'see the README, "Secret files"'));
  if (problems.length === 0) out.push(ok('secrets', 'every secret file is owned by root or sentra and closed to others'));
  return out;
}

export function accountFindings(ctx: DoctorContext): { findings: Finding[]; account: Account | null } {
  const a = lookupAccount(ctx.serviceUser, ctx.passwd, ctx.group);
  if (!a) {
    return { account: null, findings: [fail('service user', `there is no user "${ctx.serviceUser}"`,
      'reinstall the package (its postinst creates the user), or: useradd --system --user-group --shell /usr/sbin/nologin sentra')] };
  }
  const out = [ok('service user', `${a.name} (uid ${a.uid}) in groups ${a.groups.join(', ') || '(none)'}`)];
  for (const [g, why] of [['adm', 'read /var/log/auth.log and audit.log'], ['systemd-journal', 'read the system journal']] as const) {
    if (!a.groups.includes(g) && groupExists(g, ctx.group)) {
      out.push(warn('groups', `${a.name} is not in ${g}, needed to ${why}`, `usermod --append --groups ${g} ${a.name} && systemctl restart sentra`));
    }
  }
  return { account: a, findings: out };
}

function groupExists(name: string, groupFile: string): boolean {
  return groupId(name, groupFile) !== null;
}

export function sourceFindings(ctx: DoctorContext, a: Account | null): Finding[] {
  const out: Finding[] = [];
  const mode = ctx.cfg.sources.mode;
  if (mode === 'files' || mode === 'both' || mode === 'auto') {
    for (const path of ctx.cfg.sources.files.paths) {
      if (!existsSync(path)) {
        if (mode !== 'auto') out.push(warn('logs', `${path} does not exist`, 'remove it from sources.files.paths, or check that rsyslog (or auditd) writes it'));
        continue;
      }
      const problem = a ? readProblem(path, a) : null;
      if (problem) out.push(fail('logs', problem, `chgrp adm ${path} && chmod g+r ${path} (and check the rotation's "create" mode)`));
      else out.push(ok('logs', `${path} is readable${a ? ` by ${a.name}` : ''}`));
    }
  }
  const journal = existsSync('/var/log/journal') || existsSync('/run/log/journal');
  if (mode === 'auto' && !journal && !ctx.cfg.sources.files.paths.some((p) => existsSync(p))) {
    out.push(fail('sources', `no journal and none of ${ctx.cfg.sources.files.paths.join(', ')} exists: the agent would read nothing`,
      'install rsyslog (for /var/log/auth.log) or run systemd-journald, or name the log files in sources.files.paths'));
  }
  if (mode === 'journald' || mode === 'both' || (mode === 'auto' && journal)) {
    const persistent = existsSync('/var/log/journal') && readdirSync('/var/log/journal').length > 0;
    if (persistent) out.push(ok('journal', 'journald keeps logs on disk (/var/log/journal)'));
    else if (existsSync('/run/log/journal')) {
      out.push(warn('journal', 'journald keeps logs in memory only (/run/log/journal): a reboot loses what Sentra has not read yet',
        'mkdir -p /var/log/journal && systemd-tmpfiles --create --prefix /var/log/journal && systemctl restart systemd-journald (or Storage=persistent)'));
    } else if (mode === 'journald') {
      out.push(fail('journal', 'no journal found (/var/log/journal, /run/log/journal)', 'use sources.mode: files, or run systemd-journald'));
    }
  }
  return out;
}

export function stateFindings(ctx: DoctorContext, a: Account | null): Finding[] {
  const dir = ctx.cfg.state_dir;
  if (!existsSync(dir)) return [warn('state', `${dir} does not exist yet`, 'start the service once (systemd creates it), or: install -d -o sentra -g sentra -m 0750 ' + dir)];
  const out: Finding[] = [];
  const st = statSync(dir);
  if (a && st.uid !== a.uid) out.push(fail('state', `${dir} is owned by uid ${st.uid}, not ${a.name}`, `chown -R ${a.name}:${a.name} ${dir}`));
  else if ((st.mode & 0o007) !== 0) out.push(fail('state', `${dir} is open to others (mode ${(st.mode & 0o777).toString(8)})`, `chmod 0750 ${dir}`));
  else out.push(ok('state', `${dir} belongs to ${a?.name ?? `uid ${st.uid}`} (mode ${(st.mode & 0o777).toString(8)})`));
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  const need = ctx.cfg.store.max_mb * 1024 * 1024;
  const mb = (n: number): string => `${Math.round(n / 1024 / 1024).toLocaleString('en-US')} MB`;
  if (free < need / 10) out.push(fail('disk', `${mb(free)} free under ${dir}`, `free space, or lower store.max_mb (${ctx.cfg.store.max_mb})`));
  else if (free < need) out.push(warn('disk', `${mb(free)} free under ${dir}, less than store.max_mb (${ctx.cfg.store.max_mb} MB)`, 'free space, or lower store.max_mb'));
  else out.push(ok('disk', `${mb(free)} free under ${dir}`));
  return out;
}

/** The investigation view's token: whoever reads it can record decisions, so only its owner may. */
export function uiTokenFindings(ctx: DoctorContext): Finding[] {
  const file = uiTokenFile(ctx.cfg);
  if (!existsSync(file)) return [];
  const open = tokenModeProblem(statSync(file).mode);
  if (open) return [fail('ui-token', `${file} ${open}; sentra ui refuses it`, `chmod 600 ${file}`)];
  return [ok('ui-token', `${file} is readable by its owner only`)];
}

export function agentFindings(ctx: DoctorContext): Finding[] {
  let s;
  try {
    s = readStatus(ctx.cfg.state_dir);
  } catch {
    return [warn('agent', 'no status.json: the agent has not run with this state directory', 'systemctl enable --now sentra')];
  }
  if (!isLive(s, ctx.now)) return [warn('agent', `not running (last status ${s.updated_at}, ${s.state})`, 'systemctl status sentra; journalctl -u sentra -p warning')];
  const out = [ok('agent', `running (pid ${s.pid}), ${s.pipeline.read.toLocaleString('en-US')} lines read since ${s.started_at}`)];
  for (const src of s.sources) {
    if (src.state === 'failed') out.push(fail('agent', `source ${src.name} failed: ${src.detail}`, 'fix the cause named, then systemctl restart sentra'));
  }
  for (const w of s.warnings) out.push(warn('agent', w, 'see sentra status'));
  return out;
}

/** The clock: not before this build of Sentra, and synchronised when timedatectl can say. */
export function clockFindings(ctx: DoctorContext, builtAt: number | null): Finding[] {
  if (builtAt && ctx.now < builtAt) {
    return [fail('clock', `the clock (${new Date(ctx.now).toISOString()}) is before this Sentra was built`, 'fix the time (timedatectl set-ntp true)')];
  }
  const r = spawnSync('timedatectl', ['show', '--property=NTPSynchronized', '--value'], { encoding: 'utf8', timeout: 5000 });
  if (r.status === 0 && r.stdout.trim() === 'no') {
    return [warn('clock', 'the clock is not synchronised (NTP): signal times and windows depend on it', 'timedatectl set-ntp true')];
  }
  return [ok('clock', r.status === 0 ? 'synchronised' : `${new Date(ctx.now).toISOString()} (timedatectl not available to say more)`)];
}
