// agent/cli/incidents.ts: `sentra incidents`: the incidents in the local store, and `--explain ID`: one
// incident with every link and its reason.
import { SentraError } from '../errors.js';
import type { Band } from '../model.js';
import { incidentRecord, incidentsText, linksText, termSafe } from '../sinks/incident-format.js';
import { IncidentStore } from '../store/incidents.js';
import { parseSince, resolveConfig, type DaemonOptions } from './daemon.js';
import { EXIT } from './exit.js';

export interface IncidentsOptions extends DaemonOptions {
  since: string;
  until?: string;
  band?: string;
  host?: string;
  explain?: string;
  format: string;
}

export function runIncidents(opts: IncidentsOptions): number {
  if (!['text', 'json', 'jsonl'].includes(opts.format)) throw new SentraError('ERR_USAGE', `--format must be one of text, json, jsonl, not "${opts.format}"`);
  if (opts.band && !['info', 'low', 'medium', 'high'].includes(opts.band)) {
    throw new SentraError('ERR_USAGE', `--band must be one of info, low, medium, high, not "${opts.band}"`);
  }
  const cfg = resolveConfig(opts);
  const store = new IncidentStore(cfg.state_dir);
  if (opts.explain !== undefined) {
    const i = store.get(opts.explain);
    if (!i) {
      process.stderr.write(`sentra: no incident with id ${termSafe(opts.explain)} in ${cfg.state_dir}\n`);
      return EXIT.NOT_FOUND;
    }
    process.stdout.write(opts.format === 'text' ? linksText(i) : `${JSON.stringify(incidentRecord(i), null, opts.format === 'json' ? 2 : 0)}\n`);
    return EXIT.OK;
  }
  const incidents = store.query({
    since: parseSince(opts.since), ...(opts.until ? { until: parseSince(opts.until) } : {}),
    ...(opts.band ? { minBand: opts.band as Band } : {}), ...(opts.host ? { host: opts.host } : {}),
  });
  if (opts.format === 'jsonl') process.stdout.write(incidents.map((i) => `${JSON.stringify(incidentRecord(i))}\n`).join(''));
  else if (opts.format === 'json') process.stdout.write(`${JSON.stringify({ incidents: incidents.map(incidentRecord) }, null, 2)}\n`);
  else process.stdout.write(incidentsText(incidents));
  return EXIT.OK;
}
