// agent/override/schema.ts: the JSON Schema of overrides.json (version 1).
const glob = { type: 'string', minLength: 1, maxLength: 512 };

export const OVERRIDES_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'overrides'],
  properties: {
    $schema: { type: 'string' },
    version: { const: 1 },
    overrides: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'reason', 'action', 'match'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
          reason: { type: 'string', minLength: 3, maxLength: 1000 },
          action: { enum: ['suppress', 'resolve'] },
          match: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              signal_id: { type: 'string', pattern: '^[0-9a-f]{12}$' },
              kind: glob,
              rule: glob,
              host: glob,
              user: glob,
              src_ip: { type: 'string', minLength: 2, maxLength: 64 },
              command: glob,
            },
          },
          window: {
            type: 'object',
            additionalProperties: false,
            required: ['cron', 'duration'],
            properties: {
              cron: { type: 'string', minLength: 9 },
              duration: { type: 'string', pattern: '^([0-9]+[dhms])+$' },
              timezone: { type: 'string', minLength: 1 },
            },
          },
          from: { type: 'string', minLength: 10 },
          to: { type: 'string', minLength: 10 },
          expires: { type: 'string', minLength: 10 },
          reviewer: { type: 'string', minLength: 1 },
          created: { type: 'string', minLength: 10 },
          ticket: { type: 'string' },
          notes: { type: 'string' },
        },
      },
    },
  },
} as const;

export interface OverrideSpec {
  id: string;
  reason: string;
  action: 'suppress' | 'resolve';
  match: {
    signal_id?: string; kind?: string; rule?: string; host?: string; user?: string; src_ip?: string; command?: string;
  };
  window?: { cron: string; duration: string; timezone?: string };
  from?: string;
  to?: string;
  expires?: string;
  reviewer?: string;
  created?: string;
  ticket?: string;
  notes?: string;
}

export interface OverridesFile {
  version: 1;
  overrides: OverrideSpec[];
}
