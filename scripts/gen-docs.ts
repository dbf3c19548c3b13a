// scripts/gen-docs.ts OUT_DIR: the man pages (OUT_DIR/man1/*.1) and shell completions
// (OUT_DIR/bash/sentra, OUT_DIR/zsh/_sentra), generated from the CLI's own command tree at package time.
// The date is SOURCE_DATE_EPOCH's, so the package stays reproducible.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../agent/cli/program.js';
import { bashCompletion, zshCompletion } from '../agent/cli/docs/completion.js';
import { manPages } from '../agent/cli/docs/manpage.js';
import { describeCommand } from '../agent/cli/docs/tree.js';
import { packageVersion } from '../agent/paths.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: gen-docs OUT_DIR');
  process.exit(2);
}
const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? 0);
const date = new Date(epoch * 1000).toISOString().slice(0, 10);
const doc = describeCommand(buildProgram());
for (const dir of ['man1', 'bash', 'zsh']) mkdirSync(join(out, dir), { recursive: true });
const pages = manPages(doc, process.env.SENTRA_VERSION ?? packageVersion(), date);
for (const [name, text] of pages) writeFileSync(join(out, 'man1', name), text);
writeFileSync(join(out, 'bash', 'sentra'), bashCompletion(doc));
writeFileSync(join(out, 'zsh', '_sentra'), zshCompletion(doc));
console.log(`${pages.size} man pages, bash and zsh completion in ${out}`);
