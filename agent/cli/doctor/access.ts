// agent/cli/doctor/access.ts: what a given user may read, judged from /etc/passwd, /etc/group and the file
// modes on the way (every directory needs x, the file r), as the kernel would judge it without ACLs. The
// doctor runs as root, so it cannot simply try: it asks on behalf of the service user.
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Account {
  name: string;
  uid: number;
  gid: number;
  /** Every group id: the primary group and the supplementary ones. */
  gids: number[];
  groups: string[];
}

export function lookupAccount(name: string, passwd = '/etc/passwd', group = '/etc/group'): Account | null {
  const row = readFileSync(passwd, 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === name);
  if (!row) return null;
  const uid = Number(row[2]);
  const gid = Number(row[3]);
  const gids = new Set([gid]);
  const groups: string[] = [];
  for (const f of readFileSync(group, 'utf8').split('\n').map((l) => l.split(':'))) {
    if (f.length < 4) continue;
    if (Number(f[2]) === gid || f[3]!.split(',').includes(name)) {
      gids.add(Number(f[2]));
      groups.push(f[0]!);
    }
  }
  return { name, uid, gid, gids: [...gids], groups };
}

export function groupId(name: string, group = '/etc/group'): number | null {
  const f = readFileSync(group, 'utf8').split('\n').map((l) => l.split(':')).find((x) => x[0] === name);
  return f ? Number(f[2]) : null;
}

/** The mode bits (r=4, w=2, x=1) this account has on a file or directory. */
function bits(path: string, a: Account): number {
  const st = statSync(path);
  if (a.uid === 0) return 7;
  if (st.uid === a.uid) return (st.mode >> 6) & 7;
  if (a.gids.includes(st.gid)) return (st.mode >> 3) & 7;
  return st.mode & 7;
}

/** Why the account cannot read `path` (following symbolic links), or null when it can. */
export function readProblem(path: string, a: Account): string | null {
  try {
    statSync(path);
  } catch (err) {
    return `${path} does not exist (${(err as NodeJS.ErrnoException).code})`;
  }
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((bits(dir, a) & 1) === 0) return `${a.name} cannot enter ${dir}`;
    if (dir === '/' || dir === '.') break;
  }
  if ((bits(path, a) & 4) === 0) {
    const st = statSync(path);
    return `${a.name} cannot read ${path} (mode ${(st.mode & 0o777).toString(8)}, owner uid ${st.uid}, group gid ${st.gid})`;
  }
  return null;
}
