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
    password_spray: { type: 'object', additionalProperties: false, properties: { min_users: positive, min_known_accounts: positive } },
    distributed_guessing: { type: 'object', additionalProperties: false, properties: { min_sources: positive } },
    success_after_failures: { type: 'object', additionalProperties: false, properties: { min_failures: positive, lookback_minutes: positive } },
    new_source: { type: 'object', additionalProperties: false, properties: { warmup_hours: { type: 'integer', minimum: 0 } } },
    limits: {
      type: 'object', additionalProperties: false,
      properties: {
        sources_per_day: positive, keys_per_kind: positive, recent_failure_sources: positive,
        sources_per_account: positive, evidence_per_signal: positive, late_days: { type: 'integer', minimum: 0, maximum: 30 },
      },
    },
  },
} as const;

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1 },
    timezone: { type: 'string', minLength: 1 },
    overrides: { type: 'string', minLength: 1 },
    rules_dirs: { type: 'array', items: { type: 'string', minLength: 1 } },
    detection: DETECTION_SCHEMA,
  },
} as const;
