// agent/config/schema.ts: the JSON Schema of the config file (YAML or JSON). Unknown keys are errors.
const hour = { type: 'integer', minimum: 0, maximum: 24 };
const positive = { type: 'integer', minimum: 1 };

export const DETECTION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    business_hours: {
      type: 'object', additionalProperties: false,
      properties: {
        start_hour: hour, end_hour: hour,
        days: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 7 }, uniqueItems: true },
        timezone: { type: 'string', minLength: 1 },
      },
    },
    privileged_accounts: { type: 'array', items: { type: 'string', minLength: 1 } },
    brute_force: { type: 'object', additionalProperties: false, properties: { heavy_attempts: positive } },
    password_spray: { type: 'object', additionalProperties: false,
      properties: { min_users: positive, min_known_accounts: positive, min_known_share: { type: 'number', minimum: 0, maximum: 1 } } },
    distributed_guessing: { type: 'object', additionalProperties: false, properties: { min_sources: positive } },
    success_after_failures: { type: 'object', additionalProperties: false, properties: { min_failures: positive, lookback_minutes: positive } },
    new_source: { type: 'object', additionalProperties: false, properties: { warmup_hours: { type: 'integer', minimum: 0 } } },
    correlation: { type: 'object', additionalProperties: false,
      properties: { window_hours: { type: 'integer', minimum: 1, maximum: 720 }, signals_per_host: positive } },
    limits: {
      type: 'object', additionalProperties: false,
      properties: {
        sources_per_day: positive, keys_per_kind: positive, recent_failure_sources: positive,
        sources_per_account: positive, evidence_per_signal: positive, late_days: { type: 'integer', minimum: 0, maximum: 30 },
      },
    },
  },
} as const;

const path = { type: 'string', minLength: 1 };
/** TLS for ClickHouse and webhooks: a CA to trust (private CAs) and a client certificate with its key. */
const TLS = { ca_file: path, cert_file: path, key_file: path };

export const SOURCES_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: { enum: ['auto', 'journald', 'files', 'both'] },
    journald: {
      type: 'object', additionalProperties: false,
      properties: {
        journalctl: path, directory: path, files: { type: 'array', items: path },
        facilities: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 23 } },
        extra_identifiers: { type: 'array', items: { type: 'string', minLength: 1 } },
        initial_backfill_hours: { type: 'integer', minimum: 0 }, max_catchup_hours: positive,
      },
    },
    files: {
      type: 'object', additionalProperties: false,
      properties: { paths: { type: 'array', items: path }, poll_ms: { type: 'integer', minimum: 10 }, start_at: { enum: ['beginning', 'end'] },
        follow_symlinks: { type: 'boolean' } },
    },
    silence_warning_minutes: positive,
    max_line_bytes: { type: 'integer', minimum: 1024, maximum: 1048576 },
  },
} as const;

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1 },
    timezone: { type: 'string', minLength: 1 },
    state_dir: path,
    overrides: path,
    rules_dirs: { type: 'array', items: path },
    sources: SOURCES_SCHEMA,
    agent: {
      type: 'object', additionalProperties: false,
      properties: { checkpoint_seconds: positive, status_seconds: positive, commit_every_lines: positive, shutdown_seconds: positive },
    },
    store: { type: 'object', additionalProperties: false, properties: { retention_days: positive, max_mb: positive } },
    log_level: { enum: ['debug', 'info', 'warn', 'error'] },
    metrics: {
      type: 'object', additionalProperties: false,
      // HOST:PORT; the empty string (the default) keeps the endpoint off.
      properties: { listen: { type: 'string', pattern: '^$|^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}$' } },
    },
    ui: {
      type: 'object', additionalProperties: false,
      properties: {
        listen: { type: 'string', pattern: '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}$' },
        token_file: path,
        // Names besides loopback ones the Host header may carry (a reverse proxy's name, say).
        allowed_hosts: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9.:\\[\\]-]{1,255}$' } },
      },
    },
    email: {
      type: 'object', additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' }, host: { type: 'string', minLength: 1 }, port: { type: 'integer', minimum: 1, maximum: 65535 },
        security: { enum: ['starttls', 'tls', 'none'] }, credentials_file: path, from: { type: 'string', minLength: 3 },
        to: { type: 'array', minItems: 1, items: { type: 'string', minLength: 3 } },
        schedule: { type: 'string', minLength: 9 }, timezone: { type: 'string', minLength: 1 },
        retry_seconds: positive, subject_prefix: { type: 'string' },
      },
    },
    audit: { type: 'object', additionalProperties: false, properties: { signing_key_file: path } },
    ai: {
      type: 'object', additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' }, base_url: { type: 'string', minLength: 1 }, model: { type: 'string', minLength: 1 },
        api_key_file: path, timeout_ms: positive, mask_identities: { type: 'boolean' },
      },
    },
    clickhouse: {
      type: 'object', additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' }, url: { type: 'string', pattern: '^https?://' }, database: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        user: { type: 'string', minLength: 1 }, password_file: path, tenant: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' },
        batch_size: positive, flush_seconds: positive, spool_max_mb: { type: 'number', exclusiveMinimum: 0 }, request_timeout_ms: positive,
        heartbeat_seconds: positive, probe_seconds: positive, migrate: { type: 'boolean' }, ...TLS,
      },
    },
    notify: {
      type: 'object', additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        slack_webhook_url_file: path,
        webhook_url: { type: 'string', pattern: '^https?://' },
        webhook_secret_file: path,
        min_band: { enum: ['low', 'medium', 'high'] },
        max_age_minutes: positive, cooldown_minutes: { type: 'integer', minimum: 0 },
        max_per_minute: positive, retries: { type: 'integer', minimum: 0, maximum: 20 }, retry_base_ms: positive, ...TLS,
      },
    },
    detection: DETECTION_SCHEMA,
  },
} as const;
