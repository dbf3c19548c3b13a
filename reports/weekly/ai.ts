// reports/weekly/ai.ts: optional AI wording. With an API key configured, an OpenAI-compatible model may
// rephrase the opening paragraph and the notes to watch. It is given the facts with every number, id,
// address, account, host and time replaced by a placeholder (ai-placeholders.ts) and never a log line; it
// answers with placeholders, which Sentra fills. Any reply the checks refuse, and any error, leaves the
// deterministic text in place, and the report says which wording was used and why. Provider errors are
// described by status and class only: their text can quote the API key.
import OpenAI from 'openai';
import type { Config } from '../../agent/config/load.js';
import { readSecretFile } from '../../agent/config/secret-file.js';
import { registerSecret } from '../../agent/redact.js';
import type { WeeklyFacts } from './facts.js';
import { Placeholders } from './ai-placeholders.js';

export interface Wording {
  opening: string;
  watch: string[];
  wording: 'deterministic' | 'ai';
  note: string;
}

const plural = new Intl.PluralRules('en-US');
const fmt = (n: number): string => n.toLocaleString('en-US');

/** Sentra's own sentence about action: the only place the report's stance on action comes from. */
export function actionStatement(n: number): string {
  if (n === 0) return 'No action is required this week.';
  return plural.select(n) === 'one' ? '1 item needs action.' : `${fmt(n)} items need action.`;
}

/** Items that need action: single signals and incidents. */
export function needingAction(f: WeeklyFacts): number {
  return f.totals.action_required + (f.incidents ?? []).filter((i) => i.action_required).length;
}

/** The facts as the model sees them: structure and prose kept, every checkable value a placeholder. */
export function maskedFacts(f: WeeklyFacts): { ph: Placeholders; facts: object } {
  const ph = new Placeholders({ accounts: f.identities.users, hosts: f.hosts, addresses: f.identities.addresses });
  const t = f.totals;
  const facts = {
    period: ph.named('period', f.period.label),
    hosts: f.hosts.map((h) => ph.of('host', h)),
    // Incidents that need action count as one item each, beside the single signals that do.
    action_statement: ph.named('action_statement', actionStatement(needingAction(f))),
    totals: { signals: ph.named('signals_total', fmt(t.signals)), events: ph.named('events_total', fmt(t.events)),
      needing_action: ph.named('action_count', fmt(t.action_required)), suppressed: ph.named('suppressed_count', fmt(t.suppressed)),
      by_band: Object.fromEntries(Object.entries(t.by_band).map(([b, n]) => [b, ph.named(`${b}_count`, fmt(n))])) },
    // Incidents come first: a story the model must tell as one, never as routine work.
    incidents: (f.incidents ?? []).map((i) => ({ id: ph.of('id', i.id), title: ph.text(i.title), band: i.band,
      explanation: ph.text(i.explanation), what_to_do: ph.text(i.recommended_action) })),
    needs_action: f.needs_action.map((s) => ({ id: ph.of('id', s.id), host: ph.of('host', s.host), title: ph.text(s.title), band: s.band,
      what_to_do: ph.text(s.recommended_action) })),
    activity: f.activity.map((a, i) => ({ label: a.label, signals: ph.named(`activity_${i + 1}_signals`, fmt(a.signals)),
      events: ph.named(`activity_${i + 1}_events`, fmt(a.events)) })),
    background_noise: { attempts: ph.named('noise_attempts', fmt(f.noise.attempts)), addresses: ph.named('noise_addresses', fmt(f.noise.addresses)) },
    planned_work: f.covered.map((c, i) => ({ override: ph.text(c.override), reason: ph.text(c.reason), signals: ph.named(`planned_${i + 1}_signals`, fmt(c.signals)) })),
    open_items: f.handover.open_items.map((x) => ph.text(x)),
    watch: f.handover.watch.map((x) => ph.text(x)),
    deterministic_opening: ph.text(f.narrative.opening),
  };
  return { ph, facts };
}

export const SYSTEM_PROMPT = 'You rephrase the opening of a weekly security summary for a server owner, in calm, plain language, '
  + 'with no alarmist words and no exclamation marks. The JSON you are given holds placeholders in braces instead of numbers, '
  + 'names, addresses, ids and times. Write every such value only as its placeholder, copied exactly; write no digits at all. '
  + 'Put {action_statement} in the opening exactly once, and say nothing else about whether anything must be done. '
  + 'Use no names of people, hosts, places or products that are not placeholders. When there are incidents, open with them '
  + 'and tell each as one story; never call their activity routine. Answer with JSON: '
  + '{"opening": "one paragraph", "watch": ["short notes on what to keep an eye on next week"]}.';

export function readKey(file: string | undefined): string | undefined {
  const env = process.env.SENTRA_AI_API_KEY;
  if (env) {
    registerSecret(env);
    return env;
  }
  return file ? readSecretFile(file, 'the AI API key', 'ai.api_key_file') : undefined;
}

/** What went wrong with the provider, without its text. */
export function providerProblem(err: unknown, timeoutMs: number): string {
  if (err instanceof OpenAI.APIConnectionTimeoutError) return `the model did not answer within ${timeoutMs / 1000} s`;
  if (err instanceof OpenAI.APIConnectionError) return 'the model\'s server could not be reached';
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    const s = err.status;
    const kind = s === 401 || s === 403 ? 'the API key was refused' : s === 429 ? 'rate limited' : s >= 500 ? 'a server error' : 'the request was refused';
    return `the model's server answered HTTP ${s} (${kind})`;
  }
  if (err instanceof SyntaxError) return 'the model\'s reply was not JSON';
  return 'the model could not be used';
}

export async function aiWording(cfg: Config, f: WeeklyFacts): Promise<Wording> {
  const fallback = (why: string): Wording => ({ opening: f.narrative.opening, watch: f.handover.watch, wording: 'deterministic',
    note: `Wording: written by Sentra from the facts in this report (${why}).` });
  if (!cfg.ai.enabled) return { ...fallback('AI wording is off'), note: f.narrative.note };
  let key: string | undefined;
  try {
    key = readKey(cfg.ai.api_key_file);
  } catch {
    return fallback('the API key file could not be read; sentra check names the problem');
  }
  if (!key) return fallback('no API key is configured');
  const { ph, facts } = maskedFacts(f);
  const given = JSON.stringify(facts);
  const client = new OpenAI({ apiKey: key, timeout: cfg.ai.timeout_ms, maxRetries: 0, ...(cfg.ai.base_url ? { baseURL: cfg.ai.base_url } : {}) });
  let body: { opening?: unknown; watch?: unknown };
  try {
    const res = await client.chat.completions.create({
      model: cfg.ai.model, temperature: 0, response_format: { type: 'json_object' },
      messages: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: given }],
    });
    body = JSON.parse(res.choices[0]?.message?.content ?? '') as typeof body;
  } catch (err) {
    return fallback(providerProblem(err, cfg.ai.timeout_ms));
  }
  if (typeof body !== 'object' || body === null || typeof body.opening !== 'string' || !body.opening.trim()) {
    return fallback('the model gave no opening paragraph');
  }
  const opening = body.opening.trim();
  const watch = Array.isArray(body.watch) ? body.watch.filter((w): w is string => typeof w === 'string' && w.trim() !== '').map((w) => w.trim()) : [];
  const problems = ph.problems([opening, ...watch].join('\n'), `${SYSTEM_PROMPT} ${given}`, opening);
  if (problems.length > 0) return fallback(`the model's text was refused: it held ${problems.slice(0, 2).join('; ')}`);
  return { opening: ph.fill(opening), watch: watch.length ? watch.map((w) => ph.fill(w)) : f.handover.watch, wording: 'ai',
    note: `Wording: rephrased by ${cfg.ai.model} with placeholders that Sentra filled from the facts in this report.` };
}
