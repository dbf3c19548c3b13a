// agent/sinks/format.ts: events and signals as JSON lines for machines and as short text for people.
import type { Event, Incident, Signal } from '../model.js';
import { incidentText, wrapText } from './incident-format.js';
import type { PipelineStats } from '../pipeline.js';

export function eventRecord(ev: Event): Record<string, unknown> {
  const r = ev.rule;
  const rec: Record<string, unknown> = {
    ts: new Date(ev.ts).toISOString(), host: ev.host, program: ev.program, pid: ev.pid ?? null,
    rule: r.id, intent: r.intent, outcome: r.outcome, severity: r.severity,
  };
  for (const k of Object.keys(ev.fields)) rec[k] = ev.fields[k];
  if (ev.repeat > 1) rec.repeat = ev.repeat;
  rec.mitre = r.mitre;
  rec.soc2 = r.soc2;
  rec.iso27001 = r.iso27001;
  rec.source = `${ev.raw.file}:${ev.raw.lineNo}`;
  if (ev.raw.cursor !== undefined) rec.cursor = ev.raw.cursor;
  return rec;
}

export function eventText(ev: Event): string {
  const fields = Object.entries(ev.fields).map(([k, v]) => `${k}=${/\s/.test(v) ? JSON.stringify(v) : v}`).join(' ');
  const pid = ev.pid === undefined ? '' : `[${ev.pid}]`;
  return `${new Date(ev.ts).toISOString()} ${ev.host} ${ev.program}${pid} ${ev.rule.id} ${ev.rule.intent}/${ev.rule.outcome}${fields ? ` ${fields}` : ''}${ev.repeat > 1 ? ` (×${ev.repeat})` : ''}\n`;
}

/** The signal as the jsonl contract orders its fields. */
export function signalRecord(s: Signal): Record<string, unknown> {
  const { facts, ...rest } = s;
  return { ...rest, facts };
}

export function summaryLines(stats: PipelineStats, inputs: number): string[] {
  const n = (x: number): string => x.toLocaleString('en-US');
  const lines = [
    `${n(stats.read)} lines read from ${inputs} ${inputs === 1 ? 'input' : 'inputs'}: ${n(stats.parsed)} parsed, `
      + `${n(stats.matched)} matched a rule, ${n(stats.unmatched)} matched no rule, ${n(stats.unparsed)} unparsed`
      + (stats.folded ? `, ${n(stats.folded)} audit records folded into their event` : '')
      + (stats.duplicates ? `, ${n(stats.duplicates)} audit records that repeat a log line` : '')
      + (stats.truncated ? `, ${n(stats.truncated)} cut at the line length limit` : '')
      + (stats.late ? `, ${n(stats.late)} too late for their window` : '')
      + (stats.ahead ? `, ${n(stats.ahead)} dated far ahead of the lines around them (kept; they did not move time)` : '') + '.',
  ];
  const reasons = Object.entries(stats.unparsedReasons).sort((a, b) => b[1] - a[1]);
  if (reasons.length) lines.push(`Unparsed: ${reasons.map(([r, c]) => `${r} ${n(c)}`).join(', ')}.`);
  const programs = [...stats.programs].sort((a, b) => b[1].parsed - a[1].parsed || (a[0] < b[0] ? -1 : 1));
  if (programs.length) {
    lines.push('Per program (parsed / matched):');
    for (const [p, c] of programs.slice(0, 25)) lines.push(`  ${p.padEnd(18)} ${n(c.parsed).padStart(11)} / ${n(c.matched)}`);
    if (programs.length > 25) lines.push(`  … and ${programs.length - 25} more programs`);
  }
  return lines;
}

const BAND_ORDER = ['high', 'medium', 'low', 'info'] as const;

function when(s: Signal): string {
  const a = s.first_seen.replace('T', ' ').slice(0, 16);
  const b = s.last_seen.replace('T', ' ').slice(0, 16);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a}–${b.slice(11)}` : `${a} – ${b}`;
}

export function signalsText(signals: Signal[], stats: PipelineStats, inputs: number, incidents: readonly Incident[] = []): string {
  const out: string[] = [];
  const grouped = new Set(incidents.flatMap((i) => i.signals));
  const days = new Set(signals.map((s) => s.first_seen.slice(0, 10))).size;
  out.push(`${signals.filter((s) => !s.suppressed).length} signals over ${days} ${days === 1 ? 'day' : 'days'}`
    + `${signals.some((s) => s.suppressed) ? `, and ${signals.filter((s) => s.suppressed).length} covered by overrides` : ''}; `
    + `${signals.filter((s) => !s.suppressed && s.action_required).length} need action`
    + `${incidents.length ? `; ${grouped.size} of them tell ${incidents.length === 1 ? 'one story' : `${incidents.length} stories`}` : ''}.`);
  if (incidents.length) {
    // Signals that belong to an incident are told under it, in order, and not again below.
    const byId = new Map(signals.map((s) => [s.id, s]));
    out.push('', `INCIDENTS (${incidents.length})`);
    for (const i of incidents) out.push(...incidentText(i, byId));
  }
  const active = signals.filter((s) => !s.suppressed && !grouped.has(s.id));
  const suppressed = signals.filter((s) => s.suppressed && !grouped.has(s.id));
  for (const band of BAND_ORDER) {
    const list = active.filter((s) => s.band === band);
    if (list.length === 0) continue;
    out.push('', `${band.toUpperCase()} (${list.length})`);
    if (band === 'info') {
      const kinds = new Map<string, number>();
      for (const s of list) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
      out.push(wrapText(`Routine activity: ${[...kinds].map(([k, c]) => `${k} ×${c}`).join(', ')}. `
        + 'Use --format jsonl to see each one.', '  '));
      continue;
    }
    for (const s of list) {
      out.push(`  ${s.id}  ${s.host}  ${when(s)}  risk ${s.risk.toFixed(2)}${s.action_required ? '  action required' : ''}`);
      out.push(wrapText(s.title, '    '));
      out.push(wrapText(s.explanation, '    '));
      out.push(wrapText(`Recommended: ${s.recommended_action}`, '    '));
    }
  }
  if (suppressed.length) {
    out.push('', `COVERED BY OVERRIDES (${suppressed.length})`);
    for (const s of suppressed) {
      out.push(`  ${s.id}  ${s.host}  ${when(s)}  ${s.title}`);
      out.push(`    ${s.override!.action === 'resolve' ? 'resolved' : 'suppressed'} by ${s.override!.id}: ${s.override!.reason}`);
    }
  }
  out.push('', ...summaryLines(stats, inputs));
  return `${out.join('\n')}\n`;
}
