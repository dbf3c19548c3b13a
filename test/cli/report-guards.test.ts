// Guards a customer notices: a week 53 that does not exist is refused, a decision's name or note cannot fake a
// line of the report, and `report weekly --send` refuses to send a week again without --force.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signal } from '../../agent/model.js';
import { tempDir } from '../helpers/agent.js';
import { BIN, sentra } from '../helpers/cli.js';
import { childEnv } from '../helpers/pin-clock.js';
import { scenarioStore } from '../helpers/store.js';

let server: SMTPServer;
let port = 0;
let received = 0;
beforeAll(async () => {
  server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'],
    onData(stream, _session, cb) { stream.on('data', () => undefined).on('end', () => { received++; cb(); }); } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** The CLI without blocking this process: the SMTP server above runs in it. */
function sentraAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('report and decision guards', () => {
  it('refuses an ISO week that the year does not have', async () => {
    const { config } = await scenarioStore();
    const r = sentra(['report', 'weekly', '--state-dir', config.state_dir, '--week', '2025-W53']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2025 has no ISO week 53');
    expect(sentra(['report', 'weekly', '--state-dir', config.state_dir, '--week', '2026-W53', '--format', 'json']).code).toBe(0);
  });

  it('refuses a decision whose name or note would fake a line', async () => {
    const { config } = await scenarioStore();
    const id = (JSON.parse(sentra(['signals', '--state-dir', config.state_dir, '--since', '2000-01-01', '--format', 'jsonl']).stdout.split('\n')[0]!) as Signal).id;
    const bad = sentra(['decide', id, '--state-dir', config.state_dir, '--status', 'resolved', '--by', 'maria\nresolved by: ciso']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--by must be one line of printable text');
    expect(sentra(['decide', id, '--state-dir', config.state_dir, '--status', 'resolved', '--by', 'maria', '--note', 'ok\x1b[2J']).code).toBe(2);
    expect(sentra(['decide', id, '--state-dir', config.state_dir, '--status', 'resolved', '--by', 'maria', '--note', 'line one\nline two']).code).toBe(0);
  });

  it('sends a week once, and again only with --force', async () => {
    const { config } = await scenarioStore();
    const cfg = join(tempDir('sentra-send-'), 'config.json');
    writeFileSync(cfg, JSON.stringify({ state_dir: config.state_dir, email: { enabled: true, host: '127.0.0.1', port, security: 'none',
      from: 'sentra@example.test', to: ['ops@example.test'] } }));
    const first = await sentraAsync(['report', 'weekly', '--config', cfg, '--week', '2026-W11', '--send']);
    expect(first.code, first.stderr).toBe(0);
    const again = await sentraAsync(['report', 'weekly', '--config', cfg, '--week', '2026-W11', '--send']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('was sent before');
    expect(received).toBe(1);
    expect((await sentraAsync(['report', 'weekly', '--config', cfg, '--week', '2026-W11', '--send', '--force'])).code).toBe(0);
    expect(received).toBe(2);
  }, 60_000);

  it('says "no data" rather than "+37 from 0", and leaves no empty parentheses in an empty report', () => {
    const state = join(tempDir('sentra-empty-'), 'state');
    const r = sentra(['report', 'weekly', '--state-dir', state, '--week', '2026-W11', '--format', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Sentra weekly summary: 2026-W11');
    expect(r.stdout).toContain('- Signals: 0 (no data for the week before)');
    expect(r.stdout).not.toContain('()');
  });
});
