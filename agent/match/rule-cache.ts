// agent/match/rule-cache.ts: the bundled rule files, already parsed, in dist/rules-cache.json (written by
// `npm run build`). Parsing the YAML takes ~36 MB that V8 keeps for the life of the process; JSON.parse of
// the same data takes little. The cache is used only when a digest of the files' exact text matches, so
// an edited rule file is always read as YAML.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { packageRoot } from '../paths.js';

interface Cache {
  digest: string;
  files: Record<string, unknown>;
}

export const cachePath = (): string => join(packageRoot(), 'dist', 'rules-cache.json');

export function digestOf(files: ReadonlyArray<{ name: string; text: string }>): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.name}\0${f.text}\0`);
  return h.digest('hex');
}

/** Parsed data for each file when the cache matches these exact texts, else undefined. */
export function cachedData(files: ReadonlyArray<{ name: string; text: string }>): Map<string, unknown> | undefined {
  const path = cachePath();
  if (!existsSync(path)) return undefined;
  try {
    const cache = JSON.parse(readFileSync(path, 'utf8')) as Cache;
    if (cache.digest !== digestOf(files)) return undefined;
    return new Map(Object.entries(cache.files));
  } catch {
    return undefined;
  }
}

export function writeCache(files: ReadonlyArray<{ path: string; text: string }>): void {
  const named = files.map((f) => ({ name: basename(f.path), text: f.text }));
  const cache: Cache = { digest: digestOf(named), files: Object.fromEntries(named.map((f) => [f.name, parseYaml(f.text) as unknown])) };
  writeFileSync(cachePath(), JSON.stringify(cache));
}
