// reports/audit/contents.ts: the files of an audit-evidence bundle, as an ordered list of (path, bytes).
// Everything is derived from the store, the decision log, the overrides history and the rules, with
// deterministic wording and no wall-clock time, so the same inputs give the same bytes.
import type { Config } from '../../agent/config/load.js';
import { decisionsPath, rawDecisionLines, readDecisions, type Decision } from '../../agent/decisions/decisions.js';
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

/**
 * What the analysts' decisions evidence: every decision is an evaluation of a security event (SOC 2 CC7.3, ISO
 * A.5.25); an escalation is a response (CC7.4, A.5.26); a resolution a recovery (CC7.5, A.5.26).
 */
const DECISION_CONTROLS: Array<{ framework: 'SOC 2' | 'ISO 27001'; control: string; when: (d: Decision) => boolean }> = [
  { framework: 'SOC 2', control: 'CC7.3', when: () => true },
  { framework: 'SOC 2', control: 'CC7.4', when: (d) => d.status === 'escalated' },
  { framework: 'SOC 2', control: 'CC7.5', when: (d) => d.status === 'resolved' },
  { framework: 'ISO 27001', control: 'A.5.25', when: () => true },
  { framework: 'ISO 27001', control: 'A.5.26', when: (d) => d.status === 'escalated' || d.status === 'resolved' },
];

/** The overrides versions in force during the period: the one in force when it began, and every one loaded in it. */
function inForce<T extends { loaded_at: string }>(history: T[], period: Period): T[] {
  const before = history.filter((h) => Date.parse(h.loaded_at) < period.from);
  return [...before.slice(-1), ...history.filter((h) => Date.parse(h.loaded_at) >= period.from && Date.parse(h.loaded_at) < period.to)];
}

function controlsCsv(signals: Signal[], decisions: Decision[], rules: RuleSet, incidents: Incident[]): Buffer {
  const incidentOf = new Map<string, string>();
  for (const i of incidents) for (const id of i.signals) incidentOf.set(id, i.id);
  const rows = new Map<string, { framework: string; control: string; name: string; ids: Set<string>; only?: (d: Decision) => boolean }>();
  const names = { 'SOC 2': rules.taxonomy.soc2, 'ISO 27001': rules.taxonomy.iso27001, 'ATT&CK': rules.taxonomy.mitre };
  const row = (framework: keyof typeof names, c: string) => {
    const k = `${framework}|${c}`;
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { framework, control: c, name: names[framework].get(c) ?? '', ids: new Set() }));
    return r;
  };
  for (const s of signals) {
    for (const [framework, ids] of [['SOC 2', s.soc2], ['ISO 27001', s.iso27001], ['ATT&CK', s.mitre]] as const) {
      for (const c of ids) {
        // Failed logins from the whole internet say nothing about how identities are managed here.
        if (s.kind === 'ssh-background-noise' && c === 'A.5.16') continue;
        row(framework, c).ids.add(s.id);
      }
    }
  }
  for (const dc of DECISION_CONTROLS) {
    const ds = decisions.filter(dc.when);
    if (ds.length === 0) continue;
    const r = row(dc.framework, dc.control);
    for (const d of ds) r.ids.add(d.signal_id);
    r.only = dc.when;
  }
  // The bundle itself is the collection of evidence (A.5.28): every signal, with its lines.
  if (signals.length) for (const s of signals) row('ISO 27001', 'A.5.28').ids.add(s.id);
  const order = (c: string): string => c.replace(/\d+/g, (d) => d.padStart(4, '0'));
  const lines = ['framework,control,name,signals,signal_ids,decisions,decision_summary,incident_ids'];
  for (const r of [...rows.values()].sort((a, b) => a.framework.localeCompare(b.framework) || order(a.control).localeCompare(order(b.control)))) {
    const ids = [...r.ids].sort();
    const ds = decisions.filter((d) => r.ids.has(d.signal_id) && (r.only?.(d) ?? true));
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
evidence.jsonl         the raw log lines behind every signal, with their file and line or journal cursor: at most
                       detection.limits.evidence_per_signal lines per signal (the first ones); each signal's count in
                       signals.jsonl says how many lines are behind it in all
decisions.jsonl        analyst decisions recorded in the period, and later decisions about signals of the period
decisions/log.jsonl    the whole decision log as written, hash-chained (each entry holds the SHA-256 of the one before);
                       verify recomputes the chain and names the first entry where it breaks
controls.csv           SOC 2, ISO 27001 and ATT&CK ids → the signals, decisions and incidents that evidence them; decisions also
                       evidence CC7.3 and A.5.25 (evaluation), escalations CC7.4 and A.5.26, resolutions CC7.5;
                       A.5.28 is this bundle; internet background noise is not counted as evidence of A.5.16
overrides/current.json the overrides in force when the bundle was made
overrides/history.jsonl every version of overrides.json in force during the period (the one in force when it began and
                       each one loaded in it), with the time it was loaded and its digest
rules/catalogue.json   the rule catalogue with its ATT&CK / SOC 2 / ISO 27001 mappings
rules/version.json     Sentra, rules and ATT&CK versions
reports/               the weekly report of every ISO week in the period, in HTML and Markdown
`);
}

export function bundleContents(input: { cfg: Config; store: LocalStore; period: Period; overrides: OverrideSet; rules: RuleSet; host?: string }): {
  files: BundleFile[]; hosts: string[]; signals: number;
} {
  const { cfg, store, period, rules } = input;
  // One read of the whole store serves the bundle and every weekly report in it (the weeks, the week before the
  // first, earlier open items and the titles decisions name): reading it again for each week cost seconds.
  const everything = store.query();
  const around = everything.filter((s) => Date.parse(s.last_seen) >= period.from - 14 * 86_400_000 && Date.parse(s.first_seen) <= period.to - 1
    && (!input.host || s.host === input.host));
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
    { path: 'decisions/log.jsonl', data: Buffer.from(rawDecisionLines(decisionsPath(cfg.state_dir)).map((l) => `${l}\n`).join('')) },
    { path: 'controls.csv', data: controlsCsv(signals, decisions, rules, incidents) },
    { path: 'overrides/current.json', data: Buffer.from(input.overrides.text || '{ "version": 1, "overrides": [] }\n') },
    { path: 'overrides/history.jsonl', data: jsonl(inForce(readHistory(cfg.state_dir), period)) },
    { path: 'rules/catalogue.json', data: Buffer.from(`${JSON.stringify(rules.rules.map((r) => ({
      id: r.spec.id, title: r.spec.title, description: r.spec.description, programs: r.spec.programs, intent: r.spec.intent,
      outcome: r.spec.outcome, severity: r.spec.severity, mitre: r.spec.mitre, soc2: r.spec.soc2, iso27001: r.spec.iso27001,
      file: r.file.split('/').slice(-1)[0] })), null, 2)}\n`) },
    { path: 'rules/version.json', data: Buffer.from(`${JSON.stringify({ sentra: packageVersion(), rules: rules.version, attack: rules.taxonomy.attackVersion }, null, 2)}\n`) },
  ];
  for (const week of weeksIn(period)) {
    // Deterministic wording only: an AI rewrite would make two bundles of the same inputs differ.
    const facts = buildWeekly({ store, stateDir: cfg.state_dir, period: week, overrides: input.overrides, now: week.to,
      signals: around, everything, decisions: allDecisions, incidents: storedIncidents, ...(input.host ? { host: input.host } : {}) });
    files.push({ path: `reports/weekly-${week.label}.html`, data: Buffer.from(render('weekly', 'html', facts)) });
    files.push({ path: `reports/weekly-${week.label}.md`, data: Buffer.from(render('weekly', 'md', facts)) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, hosts, signals: signals.length };
}
