// agent/cli/report.ts: `sentra report weekly` and `sentra decide`.
import { writeFileSync } from 'node:fs';
import { appendDecision, type DecisionStatus } from '../decisions/decisions.js';
import { SentraError } from '../errors.js';
import { EMPTY_OVERRIDES, loadOverrides } from '../override/load.js';
import { LocalStore } from '../store/local-store.js';
import { render, type ReportFormat } from '../../reports/render.js';
import { dayRange, lastWeek, parseWeek, type Period } from '../../reports/period.js';
import { buildWeekly, withWording } from '../../reports/weekly/weekly.js';
import { resolveConfig, type DaemonOptions } from './daemon.js';
import { EXIT } from './exit.js';
import { terminal } from '../sinks/escape.js';

export interface WeeklyOptions extends DaemonOptions {
  week?: string;
  from?: string;
  to?: string;
  format: string;
  out?: string;
  host?: string;
  send?: boolean;
  force?: boolean;
}

export function periodFrom(opts: { week?: string; from?: string; to?: string }): Period {
  if (opts.week && (opts.from || opts.to)) throw new SentraError('ERR_USAGE', 'give either --week or --from/--to, not both');
  if (opts.week) return parseWeek(opts.week);
  if (opts.from || opts.to) {
    if (!opts.from || !opts.to) throw new SentraError('ERR_USAGE', '--from and --to go together');
    return dayRange(opts.from, opts.to);
  }
  return lastWeek();
}

export async function runWeekly(opts: WeeklyOptions): Promise<number> {
  if (!['html', 'text', 'md', 'json'].includes(opts.format)) {
    throw new SentraError('ERR_USAGE', `--format must be one of html, text, md, json, not "${opts.format}"`);
  }
  const cfg = resolveConfig(opts);
  const period = periodFrom(opts);
  const store = new LocalStore(cfg.state_dir, cfg.store);
  const overrides = cfg.overrides ? loadOverrides(cfg.overrides) : EMPTY_OVERRIDES;
  const facts = await withWording(cfg, buildWeekly({ store, stateDir: cfg.state_dir, period, overrides,
    ...(opts.host ?? cfg.host ? { host: (opts.host ?? cfg.host)! } : {}) }));
  if (opts.send) {
    const { sendWeekly } = await import('../../reports/email.js');
    try {
      const r = await sendWeekly(cfg, facts, { force: opts.force === true });
      if (r.skipped) {
        process.stderr.write(`sentra: the ${facts.period.label} report was sent before (reports-sent.jsonl); add --force to send it again\n`);
        return EXIT.NOT_FOUND;
      }
      process.stderr.write(`sent ${facts.period.label} to ${r.to.join(', ')} (${r.messageId})\n`);
      return EXIT.OK;
    } catch (err) {
      if (err instanceof SentraError) throw err;
      // A refused or unreachable server is an outcome, not a bug: one line, exit 1, nothing recorded as sent.
      const e = err as Error & { code?: string; responseCode?: number };
      const why = [e.responseCode, e.code].filter(Boolean).join(' ');
      process.stderr.write(`sentra: the ${facts.period.label} report was not sent via ${cfg.email.host}:${cfg.email.port}: `
        + `${oneLine(e.message)}${why ? ` (${why})` : ''} [ERR_EMAIL_SEND]\n`);
      return EXIT.NOT_FOUND;
    }
  }
  const text = render('weekly', opts.format as ReportFormat, facts);
  if (opts.out) {
    writeFileSync(opts.out, text);
    process.stderr.write(`wrote ${opts.out}\n`);
  } else process.stdout.write(['text', 'md'].includes(opts.format) ? terminal(text) : text);
  return EXIT.OK;
}

/** A server's reply as one printable line: no control characters, bounded length. */
const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim().slice(0, 300);

export function runDecide(id: string, opts: DaemonOptions & { status: string; note: string; by: string; force?: boolean }): number {
  const cfg = resolveConfig(opts);
  const store = new LocalStore(cfg.state_dir, cfg.store);
  const known = store.query().some((s) => s.id === id);
  if (!known && !opts.force) {
    throw new SentraError('ERR_USAGE', `no signal ${id} in the store at ${cfg.state_dir} (use --force to record the decision anyway)`);
  }
  const d = appendDecision(cfg.state_dir, { signal_id: id, status: opts.status as DecisionStatus, note: opts.note, by: opts.by });
  process.stdout.write(terminal(`recorded: ${d.signal_id} ${d.status} by ${d.by} at ${d.at}\n`));
  return EXIT.OK;
}
