// scripts/build-rules-cache.ts: part of `npm run build`: writes dist/rules-cache.json from rules/*.yaml
// (see agent/match/rule-cache.ts), after checking that the rules load.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules } from '../agent/match/load-rules.js';
import { writeCache } from '../agent/match/rule-cache.js';
import { bundledRulesDir } from '../agent/paths.js';

const dir = bundledRulesDir();
const files = readdirSync(dir).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort()
  .map((n) => ({ path: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }));
writeCache(files);
const set = loadRules([dir]);
console.log(`rules cache: ${set.rules.length} rules from ${files.length} files`);
