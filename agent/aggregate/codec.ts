// agent/aggregate/codec.ts: aggregation state ↔ JSON, so open windows and baselines survive a restart and
// a restart in the middle of a brute force yields the same signal as no restart. Maps, Sets, infinities and
// the few state classes are tagged; configuration is not stored but handed back in on restore.
// Tags are explicit strings tied to each class's prototype, never `constructor.name`: a minifier renames
// classes (the packaged agent is bundled by esbuild), and stored state must outlive any build.
import type { DetectionConfig } from '../config/detection.js';
import { BoundedMap } from './bounded-map.js';
import { CappedCounter, DraftBuilder } from './draft.js';
import { DayState, HostState } from './state.js';

const CLASSES: Record<string, { prototype: object }> = {
  BoundedMap, CappedCounter, DraftBuilder, DayState, HostState,
};
const TAG_OF = new Map<object, string>(Object.entries(CLASSES).map(([tag, cls]) => [cls.prototype, tag]));
// The index of recent log lines for de-duplication is a cache: a restart starts it empty.
const NOT_STORED = new Set(['cfg', 'logLines']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function encode(v: unknown): Json {
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $n: String(v) };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(encode);
  if (v instanceof Map) return { $m: [...v].map(([k, x]) => [encode(k), encode(x)]) };
  if (v instanceof Set) return { $s: [...v].map(encode) };
  if (typeof v === 'object') {
    const fields: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (!NOT_STORED.has(k) && x !== undefined) fields[k] = encode(x);
    const proto = Object.getPrototypeOf(v) as object | null;
    const tag = proto ? TAG_OF.get(proto) : undefined;
    if (tag) return { $c: tag, v: fields };
    if (proto !== Object.prototype && proto !== null) throw new Error('cannot store an object of an untagged class in aggregation state');
    return fields;
  }
  throw new Error(`cannot store a ${typeof v} in aggregation state`);
}

export function decode(j: Json, cfg: DetectionConfig): unknown {
  if (j === null || typeof j !== 'object') return j;
  if (Array.isArray(j)) return j.map((x) => decode(x, cfg));
  if ('$n' in j) return Number(j.$n);
  if ('$m' in j) return new Map((j.$m as Json[][]).map(([k, x]) => [decode(k!, cfg), decode(x!, cfg)]));
  if ('$s' in j) return new Set((j.$s as Json[]).map((x) => decode(x, cfg)));
  if ('$c' in j) {
    const cls = Object.hasOwn(CLASSES, j.$c as string) ? CLASSES[j.$c as string] : undefined;
    if (!cls) throw new Error(`unknown state class ${String(j.$c)}`);
    const obj = Object.create(cls.prototype) as Record<string, unknown>;
    for (const [k, x] of Object.entries(j.v as Record<string, Json>)) obj[k] = decode(x, cfg);
    if (j.$c === 'HostState') obj.cfg = cfg;
    // State saved by an older version lacks fields added since: take them from a fresh instance.
    const fresh = j.$c === 'DayState' ? new DayState(0) : j.$c === 'HostState' ? new HostState('', cfg) : undefined;
    if (fresh) for (const [k, v] of Object.entries(fresh)) if (!(k in obj)) obj[k] = v;
    return obj;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(j)) out[k] = decode(x, cfg);
  return out;
}
