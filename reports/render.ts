// reports/render.ts: Handlebars templates from reports/templates → HTML, Markdown or text. The templates
// are compiled once; helpers stay small and never compute facts (facts.ts does).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { templatesDir } from '../agent/paths.js';

export type ReportFormat = 'html' | 'md' | 'text' | 'json';

const hb = Handlebars.create();
hb.registerHelper('pct', (n: number) => `${n}%`);
hb.registerHelper('join', (xs: unknown[], sep: unknown) => (Array.isArray(xs) ? xs.join(typeof sep === 'string' ? sep : ', ') : ''));
hb.registerHelper('fixed2', (n: number) => (typeof n === 'number' ? n.toFixed(2) : ''));
hb.registerHelper('short', (s: string) => (typeof s === 'string' ? s.replace('T', ' ').slice(0, 16) : ''));
hb.registerHelper('day', (s: string) => (typeof s === 'string' ? s.slice(5, 10) : ''));
hb.registerHelper('delta', (pair: [number | null, number]) => {
  const [a, b] = pair;
  // No signal at all the week before means no data to compare with, not a rise from zero.
  if (a === null) return `${b} (no data for the week before)`;
  if (a === b) return `${b} (unchanged)`;
  return `${b} (${b > a ? '+' : ''}${b - a} from ${a})`;
});
hb.registerHelper('barpx', (percent: number) => Math.max(percent > 0 ? 2 : 0, Math.round((percent * 48) / 100)));
const pluralRules = new Intl.PluralRules('en-US');
hb.registerHelper('count', (n: number, one: string) => `${n.toLocaleString('en-US')} ${pluralRules.select(n) === 'one' ? one : `${one}s`}`);
hb.registerHelper('upper', (s: string) => (typeof s === 'string' ? s.toUpperCase() : ''));
hb.registerHelper('gt', (a: number, b: number) => a > b);
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('cell', (s: unknown) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' '));

const cache = new Map<string, Handlebars.TemplateDelegate>();

export function template(name: string): Handlebars.TemplateDelegate {
  let t = cache.get(name);
  if (!t) {
    const text = readFileSync(join(templatesDir(), name), 'utf8');
    // Markdown and text must not be HTML-escaped; HTML is.
    t = hb.compile(text, { noEscape: !name.endsWith('.html.hbs'), strict: false });
    cache.set(name, t);
  }
  return t;
}

export function render(kind: string, format: ReportFormat, facts: object): string {
  if (format === 'json') return `${JSON.stringify(facts, null, 2)}\n`;
  return template(`${kind}.${format === 'text' ? 'txt' : format}.hbs`)(facts);
}
