// agent/daemon/metrics.ts: an optional OpenMetrics/Prometheus endpoint (config `metrics.listen`, off by
// default) with what `sentra status` shows. prom-client renders the exposition format; every value is read
// from the agent's status at scrape time, so the endpoint and status.json can never disagree.
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { LogFn } from './log.js';
import type { AgentStatus } from './status.js';
import { now } from '../clock.js';
import { parseListen } from '../config/listen.js';

type Status = () => AgentStatus;

/** A gauge or counter whose value is set from the status at every scrape. */
function fromStatus<L extends string>(reg: Registry<ContentType>, kind: 'gauge' | 'counter', name: string, help: string, labelNames: L[],
  values: (s: AgentStatus) => Array<[Partial<Record<L, string>>, number]>, status: Status): void {
  const Kind = kind === 'gauge' ? Gauge : Counter;
  // A counter's value only grows within one agent process; prom-client counters cannot be set, so the
  // collect hook resets and re-adds the running total taken from the status.
  const metric: Gauge<L> | Counter<L> = new Kind({
    name, help, labelNames, registers: [reg],
    collect() {
      this.reset();
      for (const [labels, v] of values(status())) {
        if (this instanceof Gauge) this.set(labels, v);
        else (this as Counter<L>).inc(labels, v);
      }
    },
  });
  void metric;
}

type ContentType = typeof Registry.PROMETHEUS_CONTENT_TYPE | typeof Registry.OPENMETRICS_CONTENT_TYPE;

/** The agent's metrics in one registry per exposition format (a scrape asks for one with its Accept header). */
export function metricsRegistry(status: Status, contentType: ContentType = Registry.PROMETHEUS_CONTENT_TYPE): Registry<ContentType> {
  const reg = new Registry<ContentType>();
  reg.setContentType(contentType);
  collectDefaultMetrics({ register: reg, prefix: 'sentra_' });
  const stages = ['read', 'parsed', 'matched', 'unmatched', 'unparsed', 'truncated', 'late'] as const;
  fromStatus(reg, 'gauge', 'sentra_info', 'The running agent: its version and rules version (value 1)', ['version', 'rules_version'],
    (s) => [[{ version: s.version, rules_version: s.rules.version }, 1]], status);
  fromStatus(reg, 'counter', 'sentra_lines_total', 'Log lines by pipeline stage since the agent started', ['stage'],
    (s) => stages.map((st) => [{ stage: st }, s.pipeline[st]]), status);
  fromStatus(reg, 'counter', 'sentra_unparsed_lines_total', 'Lines no header format recognised, by reason', ['reason'],
    (s) => Object.entries(s.pipeline.unparsed_reasons).map(([reason, n]) => [{ reason }, n]), status);
  fromStatus(reg, 'counter', 'sentra_source_lines_total', 'Lines delivered by each source', ['source'],
    (s) => s.sources.map((src) => [{ source: src.name }, src.lines]), status);
  fromStatus(reg, 'counter', 'sentra_source_dropped_total', 'Lines or bytes a source could not turn into lines, by reason', ['source', 'reason'],
    (s) => s.sources.flatMap((src) => Object.entries(src.dropped).map(([reason, n]) => [{ source: src.name, reason }, n] as [Record<string, string>, number])), status);
  fromStatus(reg, 'gauge', 'sentra_source_lag_bytes', 'Bytes of a followed file not read yet', ['source'],
    (s) => s.sources.filter((src) => src.lag.bytes !== undefined).map((src) => [{ source: src.name }, src.lag.bytes!]), status);
  fromStatus(reg, 'gauge', 'sentra_source_lag_seconds', 'How far a journal source is behind its newest entry', ['source'],
    (s) => s.sources.filter((src) => src.lag.seconds !== undefined).map((src) => [{ source: src.name }, src.lag.seconds!]), status);
  fromStatus(reg, 'gauge', 'sentra_source_state', 'Each source\'s state (1 for the state it is in)', ['source', 'state'],
    (s) => s.sources.map((src) => [{ source: src.name, state: src.state }, 1]), status);
  fromStatus(reg, 'counter', 'sentra_source_restarts_total', 'Times a source was restarted after an error', ['source'],
    (s) => s.sources.map((src) => [{ source: src.name }, src.restarts]), status);
  fromStatus(reg, 'gauge', 'sentra_signals_today', 'Unsuppressed signals of the current UTC day, by band', ['band'],
    (s) => Object.entries(s.signals_today).map(([band, n]) => [{ band }, n]), status);
  fromStatus(reg, 'gauge', 'sentra_action_required_today', 'Signals of the current UTC day that need action', [],
    (s) => [[{}, s.action_required_today]], status);
  fromStatus(reg, 'gauge', 'sentra_store_bytes', 'Size of the local store', [], (s) => [[{}, s.store.bytes]], status);
  fromStatus(reg, 'gauge', 'sentra_checkpoint_age_seconds', 'Seconds since the last checkpoint (-1 before the first)', [],
    (s) => [[{}, s.last_checkpoint_at ? Math.max(0, (now() - Date.parse(s.last_checkpoint_at)) / 1000) : -1]], status);
  fromStatus(reg, 'gauge', 'sentra_warnings', 'Warnings status shows (silence, rules or overrides errors)', [],
    (s) => [[{}, s.warnings.length]], status);
  fromStatus(reg, 'gauge', 'sentra_clickhouse_spool_bytes', 'Bytes waiting in the ClickHouse spool', [],
    (s) => (s.clickhouse ? [[{}, s.clickhouse.spool.bytes]] : []), status);
  fromStatus(reg, 'gauge', 'sentra_clickhouse_spool_records', 'Signal versions waiting in the ClickHouse spool', [],
    (s) => (s.clickhouse ? [[{}, s.clickhouse.spool.records]] : []), status);
  fromStatus(reg, 'counter', 'sentra_clickhouse_failures_total', 'Failed deliveries to ClickHouse', [],
    (s) => (s.clickhouse ? [[{}, s.clickhouse.failures]] : []), status);
  fromStatus(reg, 'counter', 'sentra_clickhouse_sent_signals_total', 'Signal rows ClickHouse accepted', [],
    (s) => (s.clickhouse ? [[{}, s.clickhouse.sent_signals]] : []), status);
  return reg;
}

export async function startMetrics(listen: string, status: Status, log: LogFn): Promise<Server> {
  const registries = { text: metricsRegistry(status), open: metricsRegistry(status, Registry.OPENMETRICS_CONTENT_TYPE) };
  const { host, port } = parseListen(listen);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    const reg = (req.headers.accept ?? '').includes('application/openmetrics-text') ? registries.open : registries.text;
    reg.metrics().then((text) => res.writeHead(200, { 'content-type': reg.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  log('info', `metrics at http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`);
  return server;
}
