// agent/config/load.ts: read → strict validate → defaults → deep-freeze. The rest of Sentra only ever sees
// a frozen Config; errors carry ERR_CONFIG_* and the file, line and key.
import { readFileSync } from 'node:fs';
import { CronExpressionParser } from 'cron-parser';
import { parse as parseYaml } from 'yaml';
import { SentraError } from '../errors.js';
import { formatProblems, isTimeZone, validate } from '../validate.js';
import { DEFAULT_DETECTION, type DetectionConfig } from './detection.js';
import { CONFIG_SCHEMA } from './schema.js';

export interface SourcesConfig {
  mode: 'auto' | 'journald' | 'files' | 'both';
  journald: {
    journalctl: string; directory?: string; files?: string[]; facilities: number[]; extra_identifiers: string[];
    initial_backfill_hours: number; max_catchup_hours: number;
  };
  files: { paths: string[]; poll_ms: number; start_at: 'beginning' | 'end'; follow_symlinks: boolean };
  silence_warning_minutes: number;
  max_line_bytes: number;
}

export interface Config {
  host?: string;
  timezone?: string;
  overrides?: string;
  state_dir: string;
  rules_dirs: string[];
  sources: SourcesConfig;
  agent: { checkpoint_seconds: number; status_seconds: number; commit_every_lines: number; shutdown_seconds: number };
  store: { retention_days: number; max_mb: number };
  /** The Ed25519 key that signs audit bundles (created at install). */
  audit: { signing_key_file: string };
  /** Lines below this level are not logged (SENTRA_LOG_LEVEL overrides it). */
  log_level: 'debug' | 'info' | 'warn' | 'error';
  /** The Prometheus/OpenMetrics endpoint: HOST:PORT, or '' for none. */
  metrics: { listen: string };
  /** `sentra ui`: where it listens, its token file (default: ui.token in the state directory), extra host names. */
  ui: { listen: string; token_file?: string; allowed_hosts: string[] };
  email: {
    enabled: boolean; host?: string; port: number; security: 'starttls' | 'tls' | 'none'; credentials_file?: string;
    from: string; to: string[]; schedule: string; timezone?: string; retry_seconds: number; subject_prefix: string;
  };
  ai: { enabled: boolean; base_url?: string; model: string; api_key_file?: string; timeout_ms: number; mask_identities: boolean };
  clickhouse: {
    enabled: boolean; url: string; database: string; user: string; password_file?: string; tenant: string;
    batch_size: number; flush_seconds: number; spool_max_mb: number; request_timeout_ms: number;
    /** Seconds between heartbeat rows; a cheap probe every probe_seconds while the server is unreachable. */
    heartbeat_seconds: number; probe_seconds: number;
    /** false: the tables are managed by an administrator (per-tenant intake); the agent only inserts. */
    migrate: boolean;
    ca_file?: string; cert_file?: string; key_file?: string;
  };
  notify: {
    enabled: boolean; slack_webhook_url_file?: string; webhook_url?: string; webhook_secret_file?: string;
    min_band: 'low' | 'medium' | 'high'; max_age_minutes: number; cooldown_minutes: number; max_per_minute: number;
    retries: number; retry_base_ms: number;
    ca_file?: string; cert_file?: string; key_file?: string;
  };
  detection: DetectionConfig;
}

export { DEFAULT_CONFIG_PATH } from '../paths.js';

const DEFAULTS = {
  state_dir: '/var/lib/sentra',
  sources: {
    mode: 'auto',
    journald: { journalctl: 'journalctl', facilities: [4, 10], extra_identifiers: [], initial_backfill_hours: 168, max_catchup_hours: 168 },
    files: { paths: ['/var/log/auth.log', '/var/log/secure', '/var/log/audit/audit.log'], poll_ms: 1000, start_at: 'beginning', follow_symlinks: false },
    silence_warning_minutes: 60,
    max_line_bytes: 65_536,
  },
  agent: { checkpoint_seconds: 5, status_seconds: 10, commit_every_lines: 20_000, shutdown_seconds: 8 },
  store: { retention_days: 400, max_mb: 1024 },
  log_level: 'info',
  audit: { signing_key_file: '/etc/sentra/bundle-signing.key' },
  metrics: { listen: '' },
  ui: { listen: '127.0.0.1:8443', allowed_hosts: [] },
  email: { enabled: false, port: 587, security: 'starttls', from: 'sentra@localhost', to: [], schedule: '0 8 * * 1',
    retry_seconds: 900, subject_prefix: '[Sentra]' },
  ai: { enabled: false, model: 'gpt-4o-mini', timeout_ms: 20_000, mask_identities: true },
  clickhouse: { enabled: false, url: 'http://127.0.0.1:8123', database: 'sentra', user: 'default', tenant: 'default',
    batch_size: 500, flush_seconds: 5, spool_max_mb: 256, request_timeout_ms: 10_000, heartbeat_seconds: 60, probe_seconds: 2,
    migrate: true },
  notify: { enabled: false, min_band: 'high', max_age_minutes: 120, cooldown_minutes: 60, max_per_minute: 10, retries: 6, retry_base_ms: 1000 },
} as const;

type Plain = Record<string, unknown>;

function merge<T>(base: T, over: unknown): T {
  if (over === undefined) return base;
  if (Array.isArray(base) || typeof base !== 'object' || base === null) return over as T;
  const out: Plain = { ...(base as Plain) };
  for (const [k, v] of Object.entries(over as Plain)) out[k] = merge((base as Plain)[k], v);
  return out as T;
}

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Plain)) deepFreeze(v);
  }
  return o;
}

function validCron(expr: string): boolean {
  try {
    CronExpressionParser.parse(expr);
    return true;
  } catch {
    return false;
  }
}


/** Builds a frozen config from parsed data; `where` and `text` make errors point at the place. */
export function makeConfig(data: unknown, where = '(defaults)', text?: string): Config {
  const problems = validate(CONFIG_SCHEMA, data ?? {}, text);
  const d = (data ?? {}) as Plain;
  const bh = (d.detection as Plain | undefined)?.business_hours as Plain | undefined;
  const email = d.email as Plain | undefined;
  for (const [path, tz] of [['/timezone', d.timezone], ['/detection/business_hours/timezone', bh?.timezone], ['/email/timezone', email?.timezone]] as const) {
    if (typeof tz === 'string' && !isTimeZone(tz)) problems.push({ path, message: `unknown time zone "${tz}"` });
  }
  if (email?.enabled === true) {
    for (const k of ['host', 'to']) if (email[k] === undefined) problems.push({ path: `/email/${k}`, message: 'is required when email is enabled' });
  }
  if (typeof email?.schedule === 'string' && !validCron(email.schedule)) {
    problems.push({ path: '/email/schedule', message: `"${email.schedule}" is not a valid cron expression` });
  }
  if (problems.length > 0) throw new SentraError('ERR_CONFIG_INVALID', formatProblems(problems), where);
  const cfg: Config = {
    state_dir: (d.state_dir as string | undefined) ?? DEFAULTS.state_dir,
    rules_dirs: (d.rules_dirs as string[] | undefined) ?? [],
    sources: merge(DEFAULTS.sources as unknown as SourcesConfig, d.sources),
    agent: merge({ ...DEFAULTS.agent }, d.agent),
    store: merge({ ...DEFAULTS.store }, d.store),
    log_level: (d.log_level as Config['log_level'] | undefined) ?? DEFAULTS.log_level as Config['log_level'],
    metrics: merge({ ...DEFAULTS.metrics }, d.metrics),
    ui: merge({ ...DEFAULTS.ui, allowed_hosts: [] } as Config['ui'], d.ui),
    audit: merge({ ...DEFAULTS.audit }, d.audit),
    email: merge({ ...DEFAULTS.email, to: [] } as Config['email'], d.email),
    ai: merge({ ...DEFAULTS.ai } as Config['ai'], d.ai),
    clickhouse: merge({ ...DEFAULTS.clickhouse } as Config['clickhouse'], d.clickhouse),
    notify: merge({ ...DEFAULTS.notify } as Config['notify'], d.notify),
    detection: merge(DEFAULT_DETECTION, d.detection),
  };
  for (const k of ['host', 'timezone', 'overrides'] as const) if (typeof d[k] === 'string') cfg[k] = d[k] as string;
  return deepFreeze(cfg);
}

/**
 * Reads, validates and freezes a config. `state_dir`, when given (the --state-dir flag), replaces the file's
 * before validation, so a flag never makes a valid file invalid and is itself checked like the file's value.
 */
export function loadConfig(file: string | undefined, flags: { state_dir?: string } = {}): Config {
  const withFlags = (data: unknown): unknown => (flags.state_dir === undefined ? data
    : { ...(data && typeof data === 'object' ? data as Plain : {}), state_dir: flags.state_dir });
  if (file === undefined) return makeConfig(withFlags({}), flags.state_dir === undefined ? '(defaults)' : '--state-dir');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SentraError('ERR_CONFIG_FILE', `cannot read: ${(err as Error).message}`, file, { cause: err });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new SentraError('ERR_CONFIG_FILE', `not valid YAML or JSON: ${(err as Error).message}`, file, { cause: err });
  }
  return makeConfig(withFlags(data), file, text);
}
