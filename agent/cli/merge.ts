// agent/cli/merge.ts: several inputs read as one stream in event-time order, so that `sentra scan auth.log
// audit.log` (two logs of the same days) sees each action's lines together, as the live agent does, and no
// input arrives days behind the others (its windows would be closed already). Each input keeps its own
// parser; a line that cannot be parsed goes out in its place, with the time of the line before it.
import type { RawLine } from '../model.js';
import type { Parser, ParseResult } from '../parse/parse.js';

export interface Parsed {
  raw: RawLine;
  parsed: ParseResult;
}

interface Cursor {
  batches: AsyncIterator<RawLine[]>;
  parser: Parser;
  items: Parsed[];
  times: number[];
  at: number;
  lastTs: number;
  done: boolean;
}

async function refill(c: Cursor): Promise<void> {
  while (!c.done && c.at >= c.items.length) {
    const r = await c.batches.next();
    if (r.done) {
      c.done = true;
      return;
    }
    c.items = [];
    c.times = [];
    c.at = 0;
    for (const raw of r.value) {
      const parsed = c.parser.parse(raw);
      if (typeof parsed !== 'string') c.lastTs = parsed.ts;
      c.items.push({ raw, parsed });
      c.times.push(c.lastTs);
    }
  }
}

/** Yields chunks of parsed lines from all inputs, oldest first; ties go to the input listed first. */
export async function* mergeByTime(inputs: ReadonlyArray<{ batches: AsyncIterator<RawLine[]>; parser: Parser }>,
  chunk = 4096): AsyncGenerator<Parsed[]> {
  const cursors: Cursor[] = inputs.map((i) => ({ ...i, items: [], times: [], at: 0, lastTs: -Infinity, done: false }));
  let out: Parsed[] = [];
  for (;;) {
    let best: Cursor | undefined;
    for (const c of cursors) {
      if (c.at >= c.items.length) await refill(c);
      if (c.at >= c.items.length) continue;
      if (best === undefined || c.times[c.at]! < best.times[best.at]!) best = c;
    }
    if (best === undefined) break;
    out.push(best.items[best.at]!);
    best.at++;
    if (out.length >= chunk) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}
