// agent/cli/fleet.ts: `sentra report fleet`, and shipping a scan's signals to ClickHouse.
import { writeFileSync } from 'node:fs';
import type { Config } from '../config/load.js';
import { SentraError } from '../errors.js';
import type { Signal } from '../model.js';
import type { LocalStore } from '../store/local-store.js';
import { clickhouseClient, ClickHouseSink } from '../sinks/clickhouse/sink.js';
import { render, type ReportFormat } from '../../reports/render.js';
import { fleetFacts } from '../../reports/fleet/facts.js';
import { parseSince, resolveConfig, type DaemonOptions } from './daemon.js';
import { EXIT } from './exit.js';
import { now } from '../clock.js';

export async function runFleet(opts: DaemonOptions & { since: string; tenant?: string; format: string; out?: string }): Promise<number> {
  if (!['html', 'text', 'md', 'json'].includes(opts.format)) {
    throw new SentraError('ERR_USAGE', `--format must be one of html, text, md, json, not "${opts.format}"`);
  }
  const cfg = resolveConfig(opts);
  const client = clickhouseClient(cfg.clickhouse);
  try {
    const facts = await fleetFacts(client, cfg.clickhouse.database, parseSince(opts.since), now(), opts.tenant ?? null);
    const text = render('fleet', opts.format as ReportFormat, facts);
    if (opts.out) writeFileSync(opts.out, text);
    else process.stdout.write(text);
    return EXIT.OK;
  } catch (err) {
    throw new SentraError('ERR_INPUT_READ', `cannot query ClickHouse at ${cfg.clickhouse.url}: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    await client.close();
  }
}

/**
 * Ships signals through the spool in `stateDir`; what could not be sent stays spooled for the agent. With a
 * local store, only signals that changed since it last stored them go, with only their changed evidence.
 */
export async function shipSignals(cfg: Config, stateDir: string, signals: Signal[], store?: LocalStore): Promise<{ sent: boolean; stats: ClickHouseSink['stats'] }> {
  const sink = new ClickHouseSink(cfg.clickhouse, stateDir, cfg.store.retention_days, () => undefined,
    store ? { store: { latest: (ids) => store.latest(ids), since: (ms) => store.query({ since: ms }) } } : {});
  if (store) sink.enqueue(store.changed(signals), (id) => store.previous(id));
  else sink.enqueue(signals);
  const sent = await sink.drain();
  await sink.stop();
  return { sent, stats: sink.stats };
}
