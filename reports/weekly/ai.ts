// reports/weekly/ai.ts: optional AI wording. With an API key configured, an OpenAI-compatible model may
// rewrite the opening paragraph and the handover notes from the structured facts only (never raw log lines;
// user names and addresses masked by default). The result is checked: every number, signal id, host, user
// and address it contains must appear in the facts. Otherwise, or on a timeout or error, the deterministic
// text stays, and the report says which wording was used and why.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import type { Config } from '../../agent/config/load.js';
import type { WeeklyFacts } from './facts.js';

interface AiFacts {
  period: string;
  hosts: string[];
  totals: WeeklyFacts['totals'];
  /** Incidents come first: a story the model must tell as one, never as routine work. */
  incidents: Array<{ id: string; title: string; band: string; action_required: boolean; explanation: string; recommended_action: string }>;
  needs_action: Array<{ id: string; title: string; band: string; recommended_action: string }>;
  activity: Array<{ label: string; signals: number; events: number }>;
  noise: { attempts: number; addresses: number };
  covered: Array<{ override: string; reason: string; signals: number }>;
  comparison: WeeklyFacts['comparison'];
  handover: WeeklyFacts['handover'];
  deterministic_opening: string;
}

/** Replaces user names and addresses with stable placeholders, and can put them back. */
export class Masker {
  private readonly map = new Map<string, string>();
  private readonly back = new Map<string, string>();
  private n = { user: 0, ip: 0 };

  constructor(readonly enabled: boolean, users: string[], ips: string[]) {
    if (!enabled) return;
    for (const u of [...new Set(users)].sort((a, b) => b.length - a.length)) this.add(u, `user-${++this.n.user}`);
    for (const ip of [...new Set(ips)].sort((a, b) => b.length - a.length)) this.add(ip, `address-${++this.n.ip}`);
  }

  private add(real: string, token: string): void {
    if (real.length < 2) return;
    this.map.set(real, token);
    this.back.set(token, real);
  }

  mask(text: string): string {
    let out = text;
    for (const [real, token] of this.map) out = out.split(real).join(token);
    return out;
  }

  unmask(text: string): string {
    let out = text;
    for (const [token, real] of [...this.back].sort((a, b) => b[0].length - a[0].length)) out = out.split(token).join(real);
    return out;
  }
}

export function aiFacts(f: WeeklyFacts): AiFacts {
  return {
    period: f.period.label, hosts: f.hosts, totals: f.totals,
    incidents: (f.incidents ?? []).map((i) => ({ id: i.id, title: i.title, band: i.band, action_required: i.action_required,
      explanation: i.explanation, recommended_action: i.recommended_action })),
    needs_action: f.needs_action.map((s) => ({ id: s.id, title: s.title, band: s.band, recommended_action: s.recommended_action })),
    activity: f.activity.map((a) => ({ label: a.label, signals: a.signals, events: a.events })),
    noise: { attempts: f.noise.attempts, addresses: f.noise.addresses },
    covered: f.covered.map((c) => ({ override: c.override, reason: c.reason, signals: c.signals })),
    comparison: f.comparison, handover: f.handover, deterministic_opening: f.narrative.opening,
  };
}

/**
 * Everything checkable in `text` (numbers, 12-hex ids, IP addresses, host and user names from the facts)
 * that does not appear in `facts`. An empty list means the text is faithful.
 */
export function unfaithful(text: string, factsText: string): string[] {
  const out: string[] = [];
  const known = new Set<string>();
  for (const m of factsText.matchAll(/\d[\d,]*(?:\.\d+)?/g)) {
    known.add(m[0].replace(/,/g, ''));
    for (const part of m[0].split(/[.,]/)) known.add(part);
  }
  for (const m of text.matchAll(/\b[0-9a-f]{12}\b/g)) if (!factsText.includes(m[0])) out.push(`id ${m[0]}`);
  for (const m of text.matchAll(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g)) if (!factsText.includes(m[0])) out.push(`address ${m[0]}`);
  const withoutIds = text.replace(/\b[0-9a-f]{12}\b/g, ' ').replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, ' ').replace(/\b\d{4}-W\d{2}\b/g, ' ');
  for (const m of withoutIds.matchAll(/(?<![\w-])\d[\d,]*(?:\.\d+)?/g)) {
    const n = m[0].replace(/,/g, '').replace(/\.$/, '');
    if (!known.has(n)) out.push(`number ${m[0]}`);
  }
  for (const m of text.matchAll(/\b(?:user|address)-\d+\b/g)) out.push(`unresolved placeholder ${m[0]}`);
  // Names shaped like hosts or accounts (web-02, admin1, svc_backup) must come from the facts too.
  for (const m of withoutIds.matchAll(/\b[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)+\b|\b[A-Za-z]+\d+[A-Za-z0-9]*\b/g)) {
    if (/^(?:user|address)-\d+$/.test(m[0]) || /^W\d+$/.test(m[0])) continue;
    if (!factsText.includes(m[0])) out.push(`name ${m[0]}`);
  }
  return out;
}

export interface Wording {
  opening: string;
  watch: string[];
  wording: 'deterministic' | 'ai';
  note: string;
}

function readKey(file: string | undefined): string | undefined {
  if (process.env.SENTRA_AI_API_KEY) return process.env.SENTRA_AI_API_KEY;
  if (!file) return undefined;
  return readFileSync(file, 'utf8').trim() || undefined;
}

export async function aiWording(cfg: Config, f: WeeklyFacts): Promise<Wording> {
  const fallback = (why: string): Wording => ({ opening: f.narrative.opening, watch: f.handover.watch, wording: 'deterministic',
    note: `Wording: written by Sentra from the facts in this report (${why}).` });
  if (!cfg.ai.enabled) return { ...fallback('AI wording is off'), note: f.narrative.note };
  let key: string | undefined;
  try {
    key = readKey(cfg.ai.api_key_file);
  } catch (err) {
    return fallback(`the API key file could not be read: ${(err as Error).message}`);
  }
  if (!key) return fallback('no API key is configured');
  const masker = new Masker(cfg.ai.mask_identities, f.identities.users, f.identities.addresses);
  const facts = aiFacts(f);
  const factsText = JSON.stringify(facts);
  const client = new OpenAI({ apiKey: key, timeout: cfg.ai.timeout_ms, maxRetries: 0, ...(cfg.ai.base_url ? { baseURL: cfg.ai.base_url } : {}) });
  try {
    const res = await client.chat.completions.create({
      model: cfg.ai.model,
      temperature: 0,
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: 'You write the opening of a weekly security summary for a server owner. Calm, plain language, '
          + 'no alarmist words, no exclamation marks. Use only facts from the JSON you are given; do not add numbers, names, '
          + 'addresses or ids that are not in it. Always state whether action is required. When there are incidents, open with them '
          + 'and tell each as one story; never call their activity routine. Answer with JSON: '
          + '{"opening": "one paragraph", "watch": ["short notes on what to watch next week"]}.' },
        { role: 'user', content: masker.mask(factsText) },
      ],
    });
    const body = JSON.parse(res.choices[0]?.message?.content ?? '{}') as { opening?: unknown; watch?: unknown };
    if (typeof body.opening !== 'string' || !body.opening.trim()) return fallback('the model gave no opening paragraph');
    const opening = masker.unmask(body.opening.trim());
    const watch = Array.isArray(body.watch) ? body.watch.filter((w): w is string => typeof w === 'string').map((w) => masker.unmask(w)) : f.handover.watch;
    const problems = unfaithful([opening, ...watch].join('\n'), JSON.stringify(f));
    if (problems.length > 0) return fallback(`the model's text named ${problems.slice(0, 3).join(', ')}, which the facts do not contain`);
    const nothing = f.totals.action_required === 0 && !(f.incidents ?? []).some((i) => i.action_required);
    const actionWord = nothing ? /no action/i : /action/i;
    if (!actionWord.test(opening)) return fallback('the model\'s text did not say whether action is required');
    return { opening, watch, wording: 'ai', note: `Wording: rephrased by ${cfg.ai.model} from the facts in this report and checked against them.` };
  } catch (err) {
    return fallback(`the model could not be reached: ${(err as Error).message.slice(0, 120)}`);
  }
}
