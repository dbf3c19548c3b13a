// reports/audit/contents.ts: the files of an audit-evidence bundle, as an ordered list of (path, bytes).
// Everything is derived from the store, the decision log, the overrides history and the rules, with
// deterministic wording and no wall-clock time, so the same inputs give the same bytes.
import type { Config } from '../../agent/config/load.js';
import { readDecisions, type Decision } from '../../agent/decisions/decisions.js';
import type { RuleSet } from '../../agent/match/load-rules.js';
import type { Incident, Signal } from '../../agent/model.js';
import { incidentRecord } from '../../agent/sinks/incident-format.js';
import { IncidentStore } from '../../agent/store/incidents.js';
import { readHistory } from '../../agent/override/history.js';
import type { OverrideSet } from '../../agent/override/load.js';
import { packageVersion } from '../../agent/paths.js';
import type { LocalStore } from '../../agent/store/local-store.js';
import { weeksIn, type Period } from '../period.js';
import { render } from '../render.js';
import { buildWeekly } from '../weekly/weekly.js';

export interface BundleFile {
  path: string;
  data: Buffer;
}

const jsonl = (xs: unknown[]): Buffer => Buffer.from(xs.map((x) => `${JSON.stringify(x)}\n`).join(''));
const csvCell = (v: string | number): string => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function controlsCsv(signals: Signal[], decisions: Decision[], rules: RuleSet, incidents: Incident[]): Buffer {
  const incidentOf = new Map<string, string>();
  for (const i of incidents) for (const id of i.signals) incidentOf.set(id, i.id);
  const rows = new Map<string, { framework: string; control: string; name: string; ids: Set<string> }>();
  for (const s of signals) {
    for (const [framework, ids, names] of [['SOC 2', s.soc2, rules.taxonomy.soc2], ['ISO 27001', s.iso27001, rules.taxonomy.iso27001],
      ['ATT&CK', s.mitre, rules.taxonomy.mitre]] as const) {
      for (const c of ids) {
        const k = `${framework}|${c}`;
        let r = rows.get(k);
        if (!r) rows.set(k, (r = { framework, control: c, name: names.get(c) ?? '', ids: new Set() }));
        r.ids.add(s.id);
      }
    }
  }
  const order = (c: string): string => c.replace(/\d+/g, (d) => d.padStart(4, '0'));
  const lines = ['framework,control,name,signals,signal_ids,decisions,decision_summary,incident_ids'];
  for (const r of [...rows.values()].sort((a, b) => a.framework.localeCompare(b.framework) || order(a.control).localeCompare(order(b.control)))) {
    const ids = [...r.ids].sort();
    const ds = decisions.filter((d) => r.ids.has(d.signal_id));
    const summary = ds.map((d) => `${d.signal_id} ${d.status} by ${d.by} ${d.at}`).join('; ');
    // The incidents these signals belong to: an auditor sees a control's evidence as the stories it is part of.
    const stories = [...new Set(ids.map((id) => incidentOf.get(id)).filter((x): x is string => x !== undefined))].sort();
    lines.push([r.framework, r.control, r.name, ids.length, ids.join(' '), ds.length, summary, stories.join(' ')].map(csvCell).join(','));
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function readme(period: Period, hosts: string[]): Buffer {
  return Buffer.from(`Sentra audit-evidence bundle
Period: ${new Date(period.from).toISOString()} to ${new Date(period.to).toISOString()} (UTC, end excluded)
Hosts: ${hosts.join(', ') || '(none recorded)'}

manifest.json          SHA-256 and size of every other file; check with: sentra audit-bundle verify <this zip>
signals.jsonl          every signal of the period (latest version), with risk factors, mappings and overrides
incidents.jsonl        every incident of the period: signals linked into one story, with timeline and link reasons
evidence.jsonl         the raw log lines behind every signal, with their file and line or journal cursor
decisions.jsonl        analyst decisions recorded in the period (append-only log)
controls.csv           SOC 2, ISO 27001 and ATT&CK ids → the signals, decisions and incidents that evidence them
overrides/current.json the overrides in force when the bundle was made
overrides/history.jsonl every version of overrides.json that was put in force, with time and digest
rules/catalogue.json   the rule catalogue with its ATT&CK / SOC 2 / ISO 27001 mappings
rules/version.json     Sentra, rules and ATT&CK versions
reports/               the weekly report of every ISO week in the period, in HTML and Markdown
`);
}

export function bundleContents(input: { cfg: Config; store: LocalStore; period: Period; overrides: OverrideSet; rules: RuleSet; host?: string }): {
  files: BundleFile[]; hosts: string[]; signals: number;
} {
  const { cfg, store, period, rules } = input;
  // One read of the store serves the bundle and every weekly report in it (with the week before the first).
  const around = store.query({ since: period.from - 14 * 86_400_000, until: period.to - 1, ...(input.host ? { host: input.host } : {}) });
  const signals = around.filter((s) => Date.parse(s.last_seen) >= period.from && Date.parse(s.first_seen) < period.to);
  const allDecisions = readDecisions(cfg.state_dir);
  const ids = new Set(signals.map((s) => s.id));
  const decisions = allDecisions.filter((d) => ids.has(d.signal_id) || (Date.parse(d.at) >= period.from && Date.parse(d.at) < period.to));
  const hosts = [...new Set(signals.map((s) => s.host))].sort();
  const storedIncidents = new IncidentStore(cfg.state_dir)
    .query({ since: period.from - 14 * 86_400_000, until: period.to - 1, ...(input.host ? { host: input.host } : {}) });
  const incidents = storedIncidents.filter((i) => Date.parse(i.last_seen) >= period.from && Date.parse(i.first_seen) < period.to);
  const files: BundleFile[] = [
    { path: 'README.txt', data: readme(period, hosts) },
    { path: 'signals.jsonl', data: jsonl(signals) },
    { path: 'evidence.jsonl', data: jsonl(signals.flatMap((s) => s.evidence.map((e) => ({ signal_id: s.id, ...e })))) },
    { path: 'decisions.jsonl', data: jsonl(decisions) },
    { path: 'incidents.jsonl', data: jsonl(incidents.map(incidentRecord)) },
    { path: 'controls.csv', data: controlsCsv(signals, decisions, rules, incidents) },
    { path: 'overrides/current.json', data: Buffer.from(input.overrides.text || '{ "version": 1, "overrides": [] }\n') },
    { path: 'overrides/history.jsonl', data: jsonl(readHistory(cfg.state_dir).filter((h) => Date.parse(h.loaded_at) < period.to)) },
    { path: 'rules/catalogue.json', data: Buffer.from(`${JSON.stringify(rules.rules.map((r) => ({
      id: r.spec.id, title: r.spec.title, description: r.spec.description, programs: r.spec.programs, intent: r.spec.intent,
      outcome: r.spec.outcome, severity: r.spec.severity, mitre: r.spec.mitre, soc2: r.spec.soc2, iso27001: r.spec.iso27001,
      file: r.file.split('/').slice(-1)[0] })), null, 2)}\n`) },
    { path: 'rules/version.json', data: Buffer.from(`${JSON.stringify({ sentra: packageVersion(), rules: rules.version, attack: rules.taxonomy.attackVersion }, null, 2)}\n`) },
  ];
  for (const week of weeksIn(period)) {
    // Deterministic wording only: an AI rewrite would make two bundles of the same inputs differ.
    const facts = buildWeekly({ store, stateDir: cfg.state_dir, period: week, overrides: input.overrides, now: week.to,
      signals: around, decisions: allDecisions, incidents: storedIncidents, ...(input.host ? { host: input.host } : {}) });
    files.push({ path: `reports/weekly-${week.label}.html`, data: Buffer.from(render('weekly', 'html', facts)) });
    files.push({ path: `reports/weekly-${week.label}.md`, data: Buffer.from(render('weekly', 'md', facts)) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, hosts, signals: signals.length };
}
