// agent/validate.ts: JSON-Schema validation shared by rules, overrides and config, with errors that point at
// the place: a JSON path (`/overrides/0/window/cron`) and, when the text is at hand, its line number.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export interface Problem {
  path: string;
  message: string;
  line?: number;
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const compiled = new WeakMap<object, ValidateFunction>();

function validator(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown field "${String(e.params.additionalProperty)}"`;
    case 'required':
      return `missing required field "${String(e.params.missingProperty)}"`;
    case 'enum':
      return `must be one of: ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`;
    default:
      return e.message ?? 'is not valid';
  }
}

/** Validates `data`; `text` (the file's content) lets problems carry line numbers. */
export function validate(schema: object, data: unknown, text?: string): Problem[] {
  const v = validator(schema);
  if (v(data)) return [];
  const locate = text === undefined ? undefined : lineLocator(text);
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const e of v.errors ?? []) {
    // anyOf/oneOf repeat their branches' errors; keep the most specific ones once.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const path = e.instancePath || '/';
    const message = describe(e);
    const k = `${path}|${message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const p: Problem = { path, message };
    const line = locate?.(path);
    if (line !== undefined) p.line = line;
    problems.push(p);
  }
  return problems;
}

/** Maps a JSON pointer to the 1-based line of that node in a YAML or JSON text. */
export function lineLocator(text: string): (pointer: string) => number | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  return (pointer) => {
    const parts = pointer.split('/').slice(1).filter((p) => p !== '').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node: unknown = doc.contents;
    let at: Node | undefined = doc.contents ?? undefined;
    for (const part of parts) {
      if (isMap(node)) {
        const pair = node.items.find((it) => String((it.key as { value?: unknown })?.value ?? it.key) === part);
        if (!pair) break;
        node = pair.value;
        at = (pair.value as Node | null) ?? (pair.key as Node);
      } else if (isSeq(node)) {
        node = node.items[Number(part)];
        if (!node) break;
        at = node as Node;
      } else break;
    }
    const offset = at?.range?.[0];
    return offset === undefined ? undefined : counter.linePos(offset).line;
  };
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `${p.line !== undefined ? `line ${p.line}, ` : ''}${p.path}: ${p.message}`).join('; ');
}

/** Whether `tz` is an IANA time zone this Node knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
