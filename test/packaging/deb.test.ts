// The .deb on a clean machine: scripts/test-deb.sh builds it, checks it with lintian, installs it into a
// minimal Debian root without Node.js, runs it, upgrades it (an edited conffile survives) and purges it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

describe('the Debian package', () => {
  it('installs, runs, upgrades and purges cleanly on a fresh bookworm root', () => {
    // debootstrap, chroot and dpkg need root; scripts/test.sh and CI run as root.
    expect(process.getuid?.(), 'the package test needs root (debootstrap, chroot, dpkg)').toBe(0);
    const r = spawnSync('bash', [join(ROOT, 'scripts', 'test-deb.sh')], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 26 });
    console.log(r.stdout.split('\n').filter((l) => l.startsWith('test-deb:')).join('\n'));
    expect(r.stderr.split('\n').filter((l) => l.includes('FAILED'))).toEqual([]);
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect(r.stdout).toContain('test-deb: passed');
  }, 900_000);
});
