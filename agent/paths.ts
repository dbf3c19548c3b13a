// agent/paths.ts: where the files that ship with Sentra live, both in a checkout (sources run by vitest)
// and in the built package (dist/…), found by walking up to Sentra's package.json.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the packaged agent looks for its config when no --config is given. */
export const DEFAULT_CONFIG_PATH = '/etc/sentra/config.yaml';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'sentra') {
      root = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the sentra package root');
    dir = up;
  }
}

/**
 * Where the read-only data (rules, report templates) lives: the checkout itself, or, in the .deb, the
 * directory the installed package.json names (`"sentra": { "share": "/usr/share/sentra" }`).
 */
export function shareRoot(): string {
  return manifest().sentra?.share ?? packageRoot();
}

let pkg: { version: string; sentra?: { share?: string } } | undefined;
/** Sentra's package.json, read once: it does not change while Sentra runs. */
function manifest(): { version: string; sentra?: { share?: string } } {
  pkg ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string; sentra?: { share?: string } };
  return pkg;
}

export const bundledRulesDir = (): string => join(shareRoot(), 'rules');
export const templatesDir = (): string => join(shareRoot(), 'reports', 'templates');

export function packageVersion(): string {
  return manifest().version;
}
