// agent/errors.ts: start-up and input errors with a stable code and the place they were found.
// Runtime per-line problems are never thrown: they are counted (see PipelineStats in pipeline.ts).

export const ERROR_CODES = {
  ERR_USAGE: 'the command line is not valid',
  ERR_INPUT_NOT_FOUND: 'an input file does not exist or cannot be read',
  ERR_INPUT_READ: 'an input file could not be read to the end',
  ERR_RULE_FILE: 'a rule file cannot be read or is not valid YAML',
  ERR_RULE_INVALID: 'a rule does not satisfy the rule schema',
  ERR_RULE_DUPLICATE: 'two rules share one id',
  ERR_RULE_PATTERN: 'a rule pattern is not a valid regular expression or lacks a required capture',
  ERR_RULE_TAXONOMY: 'a rule names an ATT&CK, SOC 2 or ISO 27001 id that is not in rules/taxonomy',
  ERR_TAXONOMY: 'a taxonomy list in rules/taxonomy cannot be read',
  ERR_OVERRIDES_FILE: 'overrides.json cannot be read or is not valid JSON',
  ERR_OVERRIDES_INVALID: 'overrides.json does not satisfy its schema',
  ERR_CONFIG_FILE: 'the config file cannot be read or parsed',
  ERR_CONFIG_INVALID: 'the config file does not satisfy its schema',
  ERR_EMAIL_SEND: 'the weekly report could not be sent: the SMTP server refused it or could not be reached',
  ERR_CLICKHOUSE: 'ClickHouse could not be reached or refused a statement',
  ERR_UI_TOKEN: 'the access token file of sentra ui cannot be created or read, or is open to other users',
  ERR_QUERY_REFUSED: 'sentra ask refused a query a model wrote: not one SELECT over Sentra\'s tables, or ClickHouse refused it read-only',
  ERR_SECRET_FILE: 'a secret file is missing, empty, not owned by root or the service user, or open to others',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error a user can act on: a stable code, where it was found, and why. */
export class SentraError extends Error {
  readonly code: ErrorCode;
  readonly where: string | undefined;

  constructor(code: ErrorCode, message: string, where?: string, options?: { cause?: unknown }) {
    super(where ? `${where}: ${message}` : message, options);
    this.name = 'SentraError';
    this.code = code;
    this.where = where;
  }
}

export function isSentraError(err: unknown): err is SentraError {
  return err instanceof SentraError;
}
