// agent/cli/fleet.ts: `sentra report fleet`, and shipping a scan's signals to ClickHouse.
import { writeFileSync } from 'node:fs';
import type { Config } from '../config/load.js';
import { SentraError } from '../errors.js';
import type { Incident, Signal } from '../model.js';
import type { LocalStore } from '../store/local-store.js';
import { clickhouseClient, ClickHouseSink } from '../sinks/clickhouse/sink.js';
import { render, type ReportFormat } from '../../reports/render.js';
import { fleetFacts } from '../../reports/fleet/facts.js';
import { parseSince, resolveConfig, type DaemonOptions } from './daemon.js';
import { EXIT } from './exit.js';
import { now } from '../clock.js';
import { parseDuration } from '../override/load.js';
import { redactUrl } from '../redact.js';
import { describeError } from '../sinks/transport.js';

export interface FleetOptions extends DaemonOptions {
  since: string;
  until?: string;
  silentAfter: string;
  tenant?: string;
  format: string;
  out?: string;
}

export async function runFleet(opts: FleetOptions): Promise<number> {
  if (!['html', 'text', 'md', 'json'].includes(opts.format)) {
    throw new SentraError('ERR_USAGE', `--format must be one of html, text, md, json, not "${opts.format}"`);
  }
  if (!/^([0-9]+[dhms])+$/.test(opts.silentAfter)) throw new SentraError('ERR_USAGE', `--silent-after must be a duration like 15m, not "${opts.silentAfter}"`);
  const cfg = resolveConfig(opts);
  const until = opts.until ? parseSince(opts.until) : now();
  const client = clickhouseClient(cfg.clickhouse);
  try {
    const facts = await fleetFacts(client, cfg.clickhouse.database, {
      since: parseSince(opts.since, until), until, tenant: opts.tenant ?? null, silentAfterMs: parseDuration(opts.silentAfter),
    });
    const text = render('fleet', opts.format as ReportFormat, facts);
    if (opts.out) writeFileSync(opts.out, text);
    else process.stdout.write(text);
    return EXIT.OK;
  } catch (err) {
    throw new SentraError('ERR_INPUT_READ', `cannot query ClickHouse at ${redactUrl(cfg.clickhouse.url)}: ${describeError(err)}`);
  } finally {
    await client.close();
  }
}

/**
 * Ships signals through the spool in `stateDir`; what could not be sent stays spooled for the agent. With a
 * local store, only signals that changed since it last stored them go, with only their changed evidence.
 */
export async function shipSignals(cfg: Config, stateDir: string, signals: Signal[], store?: LocalStore,
  incidents: readonly Incident[] = []): Promise<{ sent: boolean; stats: ClickHouseSink['stats'] }> {
  const sink = new ClickHouseSink(cfg.clickhouse, stateDir, cfg.store.retention_days, () => undefined,
    store ? { store: { latest: (ids) => store.latest(ids), since: (ms) => store.query({ since: ms }) } } : {});
  if (store) sink.enqueue(store.changed(signals), (id) => store.previous(id));
  else sink.enqueue(signals);
  // Incidents after their signals; a version already there collapses into the same row (ReplacingMergeTree).
  sink.enqueueIncidents(incidents);
  const sent = await sink.drain();
  await sink.stop();
  return { sent, stats: sink.stats };
}
