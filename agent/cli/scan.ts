// agent/cli/scan.ts: `sentra scan` - replay log files through the same pipeline the agent runs live.
import { statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { loadConfig } from '../config/load.js';
import { SentraError } from '../errors.js';
import { isTimeZone } from '../validate.js';
import { loadRules } from '../match/load-rules.js';
import type { Incident, Signal } from '../model.js';
import { EMPTY_OVERRIDES, loadOverrides } from '../override/load.js';
import { recordOverrides } from '../override/history.js';
import { explain } from '../override/override.js';
import { localTimeZone } from '../parse/clock.js';
import { Parser } from '../parse/parse.js';
import { bundledRulesDir } from '../paths.js';
import { Pipeline } from '../pipeline.js';
import { eventRecord, eventText, signalRecord, signalsText, summaryLines } from '../sinks/format.js';
import { terminal } from '../sinks/escape.js';
import { incidentRecord, incidentsText, linksText } from '../sinks/incident-format.js';
import { Output } from '../sinks/output.js';
import { readLines } from '../sources/read-lines.js';
import { ensureDir } from '../store/atomic.js';
import { LocalStore } from '../store/local-store.js';
import { IncidentStore } from '../store/incidents.js';
import { EXIT } from './exit.js';
import { checkInputs, orderInputs, sharedHost } from './inputs.js';
import { mergeByTime } from './merge.js';
import { Progress } from './progress.js';

export interface ScanOptions {
  events?: boolean;
  format: string;
  overrides?: string;
  year?: string;
  host?: string;
  timezone?: string;
  config?: string;
  rules?: string[];
  explain?: string;
  quiet?: boolean;
  /** Also keep the signals in the local store under this state directory (for reports and bundles). */
  stateDir?: string;
  /** Also ship the signals to the ClickHouse named in the config. */
  clickhouse?: boolean;
  /** Print the incidents (stories linking signals) instead of the signals. */
  incidents?: boolean;
}

function parseYear(y: string | undefined): number | undefined {
  if (y === undefined) return undefined;
  if (!/^\d{4}$/.test(y) || Number(y) < 1980 || Number(y) > 2200) {
    throw new SentraError('ERR_USAGE', `--year takes a four-digit year, not "${y}"`);
  }
  return Number(y);
}

function checkFormat(opts: ScanOptions): void {
  const allowed = opts.events ? ['text', 'jsonl'] : ['text', 'json', 'jsonl'];
  if (!allowed.includes(opts.format)) {
    throw new SentraError('ERR_USAGE', `--format must be one of ${allowed.join(', ')}${opts.events ? ' with --events' : ''}, not "${opts.format}"`);
  }
}

export async function runScan(files: string[], opts: ScanOptions, stdout: Writable = process.stdout): Promise<number> {
  checkFormat(opts);
  const year = parseYear(opts.year);
  checkInputs(files);
  const config = loadConfig(opts.config);
  if (opts.timezone !== undefined && !isTimeZone(opts.timezone)) {
    throw new SentraError('ERR_USAGE', `--timezone must be an IANA time zone such as UTC or Europe/Berlin, not "${opts.timezone}"`);
  }
  const timeZone = opts.timezone ?? config.timezone ?? localTimeZone();
  const rules = loadRules([bundledRulesDir(), ...config.rules_dirs, ...(opts.rules ?? [])]);
  const overridesFile = opts.overrides ?? config.overrides;
  const overrides = overridesFile ? loadOverrides(overridesFile) : EMPTY_OVERRIDES;

  // Text for people shows a log line's control characters instead of obeying them; JSON escapes them itself.
  const out = new Output(stdout, opts.format === 'text' ? terminal : undefined);
  const progress = new Progress();
  const host = opts.host ?? config.host;
  const jsonl = opts.format === 'jsonl';
  const onEvent = opts.events
    ? (jsonl ? (ev: Parameters<typeof eventText>[0]) => out.write(`${JSON.stringify(eventRecord(ev))}\n`) : (ev: Parameters<typeof eventText>[0]) => out.write(eventText(ev)))
    : undefined;

  const inputs = await orderInputs(files, year, timeZone);
  const pipeline = new Pipeline({ rules, detection: config.detection, overrides, eventsOnly: opts.events === true,
    audit: inputs.some((i) => i.audit) });
  const defaultHost = sharedHost(inputs);
  const parserFor = (input: (typeof inputs)[number]): Parser =>
    new Parser({ years: input.years, timeZone, ...(host ? { host } : {}), ...(defaultHost ? { defaultHost } : {}) });
  const signals: Signal[] = [];
  // Incidents as they grow, and signals whose incident was settled after they were handed out.
  const incidents = new Map<string, Incident>();
  const labels = new Map<string, string | null>();
  const collect = (): void => {
    const u = pipeline.incidentUpdates();
    for (const i of u.incidents) incidents.set(i.id, i);
    for (const r of u.relabeled) labels.set(r.id, r.incident_id);
  };
  if (inputs.length === 1) {
    const input = inputs[0]!;
    const parser = parserFor(input);
    const size = input.path === '-' ? 0 : statSync(input.path).size;
    let bytes = 0;
    const lines = readLines(input.path, { onBytes: (b) => { bytes = b; } });
    for await (const batch of lines) {
      pipeline.feed(batch, parser, onEvent);
      signals.push(...pipeline.drain());
      collect();
      await out.flush();
      progress.update(() => `scanning ${input.path}: ${pipeline.stats.read.toLocaleString('en-US')} lines`
        + (size ? ` (${Math.floor((bytes / size) * 100)}%)` : ''));
    }
  } else {
    // Several inputs are read together in event-time order (auth.log beside audit.log, several hosts).
    const merged = mergeByTime(inputs.map((input) => ({ batches: readLines(input.path)[Symbol.asyncIterator](), parser: parserFor(input) })));
    for await (const chunk of merged) {
      pipeline.feedParsed(chunk, onEvent);
      signals.push(...pipeline.drain());
      collect();
      await out.flush();
      progress.update(() => `scanning ${inputs.length} inputs: ${pipeline.stats.read.toLocaleString('en-US')} lines`);
    }
  }
  signals.push(...pipeline.flush());
  collect();
  progress.done();
  signals.sort((a, b) => (a.first_seen < b.first_seen ? -1 : a.first_seen > b.first_seen ? 1 : a.id < b.id ? -1 : 1));
  if (!opts.events) for (const sig of signals) if (labels.has(sig.id)) sig.incident_id = labels.get(sig.id)!;
  const stories = [...incidents.values()].sort((a, b) => (a.first_seen < b.first_seen ? -1 : a.first_seen > b.first_seen ? 1 : a.id < b.id ? -1 : 1));

  if (opts.explain !== undefined) {
    const story = stories.find((i) => i.id === opts.explain);
    if (story) {
      out.write(opts.format === 'text' ? linksText(story) : `${JSON.stringify(incidentRecord(story), null, opts.format === 'json' ? 2 : 0)}\n`);
      await out.flush(true);
      return EXIT.OK;
    }
    return explainSignal(opts.explain, signals, overrides, out, opts.format);
  }
  if (opts.clickhouse && !opts.events) {
    const { shipSignals } = await import('./fleet.js');
    const spoolDir = opts.stateDir ?? config.state_dir;
    const r = await shipSignals(config, spoolDir, signals, opts.stateDir ? new LocalStore(opts.stateDir, config.store) : undefined, stories);
    if (!r.sent) {
      process.stderr.write(`sentra: ClickHouse at ${config.clickhouse.url} did not take every signal (${r.stats.last_error}); `
        + `${r.stats.spool.records} signals stay spooled in ${spoolDir}/spool\n`);
      return EXIT.NOT_FOUND;
    }
    if (!opts.quiet) process.stderr.write(`shipped ${r.stats.sent_signals} signals to ClickHouse (${config.clickhouse.database}, tenant ${config.clickhouse.tenant})\n`);
  }
  if (opts.stateDir && !opts.events) {
    ensureDir(opts.stateDir);
    const stored = new LocalStore(opts.stateDir, config.store).upsert(signals);
    const storedIncidents = new IncidentStore(opts.stateDir).upsert(stories);
    recordOverrides(opts.stateDir, overrides);
    if (!opts.quiet) process.stderr.write(`stored ${stored} new or changed signals and ${storedIncidents} ${storedIncidents === 1 ? 'incident' : 'incidents'} in ${opts.stateDir}\n`);
  }
  if (opts.incidents && !opts.events) {
    if (opts.format === 'text') out.write(incidentsText(stories));
    else if (jsonl) for (const i of stories) out.write(`${JSON.stringify(incidentRecord(i))}\n`);
    else out.write(`${JSON.stringify({ incidents: stories.map(incidentRecord) }, null, 2)}\n`);
  } else if (!opts.events) {
    if (opts.format === 'text') out.write(signalsText(signals, pipeline.stats, inputs.length, stories));
    else if (jsonl) for (const s of signals) out.write(`${JSON.stringify(signalRecord(s))}\n`);
    else out.write(`${JSON.stringify({ signals: signals.map(signalRecord), incidents: stories.map(incidentRecord), stats: statsRecord(pipeline) }, null, 2)}\n`);
  }
  await out.flush(true);
  const textSignals = !opts.events && opts.format === 'text' && !opts.incidents;
  if (!opts.quiet && !textSignals) process.stderr.write(terminal(`${summaryLines(pipeline.stats, inputs.length).join('\n')}\n`));
  return EXIT.OK;
}

function statsRecord(p: Pipeline): Record<string, unknown> {
  const s = p.stats;
  return {
    read: s.read, parsed: s.parsed, matched: s.matched, unmatched: s.unmatched, unparsed: s.unparsed, folded: s.folded, duplicates: s.duplicates,
    truncated: s.truncated, late: s.late, ahead: s.ahead, unparsed_reasons: s.unparsedReasons,
    programs: Object.fromEntries([...s.programs].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
  };
}

async function explainSignal(id: string, signals: Signal[], overrides: ReturnType<typeof loadOverrides>,
  out: Output, format: string): Promise<number> {
  const s = signals.find((x) => x.id === id);
  if (!s) {
    process.stderr.write(`sentra: no signal with id ${id} in this input\n`);
    return EXIT.NOT_FOUND;
  }
  const verdicts = explain(s, overrides);
  if (format !== 'text') {
    out.write(`${JSON.stringify({ signal: signalRecord(s), overrides: verdicts }, null, format === 'json' ? 2 : 0)}\n`);
  } else {
    out.write(`${s.id}  ${s.title}\n  ${s.kind}, ${s.first_seen} – ${s.last_seen}, risk ${s.risk} (${s.band})\n`);
    for (const f of s.factors) out.write(`  factor ${f.name} +${f.weight}: ${f.detail}\n`);
    if (verdicts.length === 0) out.write(`\nNo overrides are loaded (${overrides.file}).\n`);
    for (const v of verdicts) {
      out.write(`\noverride ${v.id}: ${v.matched ? 'matches' : 'does not match'}\n`);
      for (const c of v.checks) out.write(`  ${c.ok ? 'yes' : 'no '} ${c.text}\n`);
    }
    const matched = verdicts.filter((v) => v.matched).map((v) => v.id);
    if (matched.length > 1) out.write(`\n${matched.length} overrides match; the first in the file, ${matched[0]}, is the one recorded.\n`);
  }
  await out.flush(true);
  return EXIT.OK;
}
