// scripts/catalogue-coverage.ts: `npm run catalogue`. Prints the per-family coverage table of the catalogue of
// upstream log calls (the README's "Rule coverage" table) and, with --failures, every template not recognised.
import { coverage, coverageTable, loadCatalogue } from './catalogue.js';

const rows = coverage(loadCatalogue());
console.log(coverageTable(rows));
if (process.argv.includes('--failures')) {
  for (const r of rows) {
    for (const f of r.failures) console.log(`${r.family} ${f.template.id} [${f.path}]: ${f.problem}`);
  }
} else {
  const n = rows.reduce((a, r) => a + r.failures.length, 0);
  if (n > 0) console.log(`\n${n} template/path pairs not recognised: npm run catalogue -- --failures`);
}
