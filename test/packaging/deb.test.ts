// The .deb on a clean machine: scripts/test-deb.sh builds it (with the pinned Node.js for its architecture),
// checks it with lintian, installs it into a minimal Debian root without Node.js, runs it and its agent,
// upgrades it (an edited conffile survives) and purges it; amd64 natively, arm64 under qemu-user-static.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

function testDeb(arch: 'amd64' | 'arm64'): void {
  // debootstrap, chroot, binfmt_misc and dpkg need root; scripts/test.sh and CI run as root.
  expect(process.getuid?.(), 'the package test needs root (debootstrap, chroot, dpkg)').toBe(0);
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'test-deb.sh'), arch], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 26 });
  console.log(r.stdout.split('\n').filter((l) => l.startsWith('test-deb:')).join('\n'));
  expect(r.stderr.split('\n').filter((l) => l.includes('FAILED'))).toEqual([]);
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  expect(r.stdout).toContain('test-deb: passed');
}

describe('the Debian package', () => {
  it('amd64: builds reproducibly, installs, runs its agent within the unit\'s system calls, upgrades and purges cleanly', () => {
    testDeb('amd64');
  }, 1_200_000);

  it('arm64 (under qemu): installs, runs, keeps and resumes its agent\'s state, and purges cleanly', () => {
    testDeb('arm64');
  }, 1_800_000);
});
