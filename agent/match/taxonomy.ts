// agent/match/taxonomy.ts: the ATT&CK, SOC 2 and ISO 27001 id lists kept in rules/taxonomy.
// Rules may only name ids found here, so reports can group by them safely.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SentraError } from '../errors.js';

export interface Taxonomy {
  mitre: ReadonlyMap<string, string>;
  soc2: ReadonlyMap<string, string>;
  iso27001: ReadonlyMap<string, string>;
  attackVersion: string;
}

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new SentraError('ERR_TAXONOMY', `cannot read: ${(err as Error).message}`, file, { cause: err });
  }
}

function readMap(file: string, key: string, data = readJson(file)): Map<string, string> {
  const table = data[key];
  if (table === null || typeof table !== 'object') {
    throw new SentraError('ERR_TAXONOMY', `expected an object "${key}" of id → name`, file);
  }
  return new Map(Object.entries(table as Record<string, string>));
}

export function loadTaxonomy(rulesDir: string): Taxonomy {
  const dir = join(rulesDir, 'taxonomy');
  const mitreFile = join(dir, 'mitre-attack.json');
  const raw = readJson(mitreFile);
  return {
    mitre: readMap(mitreFile, 'techniques', raw),
    soc2: readMap(join(dir, 'soc2.json'), 'criteria'),
    iso27001: readMap(join(dir, 'iso27001.json'), 'controls'),
    attackVersion: String(raw.attack_version ?? 'unknown'),
  };
}
