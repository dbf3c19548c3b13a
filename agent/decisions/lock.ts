// agent/decisions/lock.ts: one writer at a time on the decision log. `sentra decide` and `sentra ui` may
// append at the same moment; each entry hashes the line before it, so two interleaved appends would fork the
// chain. The lock is a file created exclusively beside the log, holding the writer's pid; a lock whose
// process is gone (a crash) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { SentraError } from '../errors.js';

const WAIT_MS = 10;
const GIVE_UP_MS = 5_000;

function holderGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8').trim());
  } catch {
    return false; // removed meanwhile: try again
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function withLock<T>(target: string, fn: () => T): T {
  const lock = `${target}.lock`;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  // Counted in attempts, not wall time, so a slow machine waits as many rounds as a fast one.
  for (let attempt = 0; ; attempt++) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx', 0o640);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return fn();
      } finally {
        try { unlinkSync(lock); } catch { /* already gone */ }
      }
    }
    if (holderGone(lock)) {
      try { unlinkSync(lock); } catch { /* another writer took it over first */ }
      continue;
    }
    if (attempt * WAIT_MS >= GIVE_UP_MS) {
      throw new SentraError('ERR_USAGE', `another process is writing decisions (${lock} is held); try again`, lock);
    }
    Atomics.wait(sleeper, 0, 0, WAIT_MS);
  }
}
