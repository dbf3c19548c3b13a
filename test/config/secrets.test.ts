// One rule for every secret file, applied by `sentra check`; warnings for plain HTTP to another machine
// and unsigned webhooks; and no secret or URL credential in any error the CLI prints.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretFileProblem } from '../../agent/config/secret-file.js';
import { redact, registerSecret } from '../../agent/redact.js';
import { tempDir } from '../helpers/agent.js';
import { sentra } from '../helpers/cli.js';

function config(dir: string, cfg: Record<string, unknown>): string {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ state_dir: join(dir, 'state'), ...cfg }));
  return file;
}

function secret(dir: string, name: string, text: string, mode: number): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

describe('secret files', () => {
  it('are refused by sentra check when others can read them, whichever feature they belong to', () => {
    const dir = tempDir('sentra-secrets-');
    for (const [section, key] of [['clickhouse', 'password_file'], ['notify', 'slack_webhook_url_file'], ['notify', 'webhook_secret_file'],
      ['ai', 'api_key_file'], ['email', 'credentials_file']] as const) {
      const file = secret(dir, `${section}-${key}`, 'https://hooks.example/s3cr3t-value\n', 0o644);
      const extra = key === 'webhook_secret_file' ? { webhook_url: 'https://127.0.0.1:9/hook' } : {};
      const r = sentra(['check', '--config', config(dir, { [section]: { [key]: file, ...extra } })]);
      expect(r.code, `${section}.${key}`).toBe(2);
      expect(r.stderr).toContain(`(${section}.${key}) is open to everyone (mode 644)`);
      expect(r.stderr).toContain('[ERR_SECRET_FILE]');
      expect(r.stderr).not.toContain('s3cr3t-value');
    }
  });

  it('accept 600 and 640, refuse group-writable ones, missing ones and empty ones', () => {
    const dir = tempDir('sentra-secrets-');
    expect(secretFileProblem(secret(dir, 'a', 'x\n', 0o600))).toBeNull();
    expect(secretFileProblem(secret(dir, 'b', 'x\n', 0o640))).toBeNull();
    expect(secretFileProblem(secret(dir, 'c', 'x\n', 0o660))).toMatch(/writable by its group/);
    expect(secretFileProblem(join(dir, 'nope'))).toBe('does not exist');
    const empty = secret(dir, 'empty', '\n', 0o600);
    const r = sentra(['check', '--config', config(dir, { notify: { webhook_url: 'https://127.0.0.1:9/hook', webhook_secret_file: empty } })]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('the webhook secret file (notify.webhook_secret_file) is empty')]);
    const missing = sentra(['check', '--config', config(dir, { notify: { webhook_url: 'https://127.0.0.1:9/hook', webhook_secret_file: join(dir, 'nope') } })]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('(notify.webhook_secret_file) does not exist');
  });

  it('check warns about plain http to another machine and unsigned webhooks, and passes', () => {
    const dir = tempDir('sentra-secrets-');
    const r = sentra(['check', '--config', config(dir, { clickhouse: { url: 'http://203.0.113.5:8123' }, notify: { webhook_url: 'http://127.0.0.1:9/hook' } })]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: clickhouse.url sends to 203.0.113.5:8123 over plain http');
    expect(r.stderr).toContain('warning: notify.webhook_url is set without notify.webhook_secret_file: webhooks will be sent unsigned');
    expect(r.stderr).not.toContain('notify.webhook_url sends to');
  });

  it('report fleet does not print the credentials of the ClickHouse URL', () => {
    const dir = tempDir('sentra-secrets-');
    const r = sentra(['report', 'fleet', '--config', config(dir, { clickhouse: { url: 'http://sentra:hunter2pass@127.0.0.1:9', request_timeout_ms: 2000 } }), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot query ClickHouse at http://sentra:***@127.0.0.1:9');
    expect(r.stderr).not.toContain('hunter2pass');
  });

  it('redact masks registered secrets, URL credentials and secret parameters', () => {
    registerSecret('pa"ss-word-1');
    expect(redact('failed: pa"ss-word-1 and {"k":"pa\\"ss-word-1"}')).toBe('failed: *** and {"k":"***"}');
    expect(redact('GET https://u:p@h.example/x?token=abc&x=1')).toBe('GET https://u:***@h.example/x?token=***&x=1');
  });
});
