// agent/ui/token.ts: the access token of `sentra ui`. It is read from its file, or created there (32 random
// bytes, mode 0600) when missing. A token file others can read is refused: whoever reads it can decide on
// signals. The browser never keeps the token itself: the login form exchanges it for a session cookie derived
// from it, so replacing the file (and restarting) ends every session.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/load.js';
import { SentraError } from '../errors.js';

export interface UiToken {
  /** Whether the file was created by this call (so the CLI can say where it is). */
  created: boolean;
  file: string;
  /** True when `presented` (a bearer token or the login form's field) is the token. */
  matches(presented: string): boolean;
  /** The session cookie's value for this token. */
  session: string;
  /** The CSRF field the decision form carries for this token. */
  csrf: string;
}

/** Where the token is: ui.token_file, else ui.token in the state directory (--token-file overrides both). */
export const uiTokenFile = (cfg: Pick<Config, 'state_dir' | 'ui'>): string => cfg.ui.token_file ?? join(cfg.state_dir, 'ui.token');

/** Why a token file's mode is refused (anyone but its owner may read or write it), or null. */
export function tokenModeProblem(mode: number): string | null {
  return (mode & 0o077) !== 0 ? `is open to other users (mode ${(mode & 0o777).toString(8)})` : null;
}

const derive = (token: string, purpose: string): string => createHmac('sha256', token).update(purpose).digest('base64url');

export function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // timingSafeEqual needs equal lengths; comparing digests keeps the time independent of where they differ.
  const hx = createHmac('sha256', 'sentra-compare').update(x).digest();
  const hy = createHmac('sha256', 'sentra-compare').update(y).digest();
  return timingSafeEqual(hx, hy) && x.length === y.length;
}

export function loadToken(file: string): UiToken {
  let created = false;
  if (!existsSync(file)) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try { writeSync(fd, `${randomBytes(32).toString('base64url')}\n`); } finally { closeSync(fd); }
      created = true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'its directory does not exist (is the state directory right?)' : code === 'EACCES' ? 'permission denied (run as root or the sentra user)' : code ?? (err as Error).message;
      throw new SentraError('ERR_UI_TOKEN', `cannot create the access token: ${why}`, file);
    }
  }
  let token: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new SentraError('ERR_UI_TOKEN', 'is not a regular file', file);
      const open = tokenModeProblem(st.mode);
      if (open) throw new SentraError('ERR_UI_TOKEN', `${open}; run chmod 600 on it`, file);
      token = readFileSync(fd, 'utf8').trim();
    } finally { closeSync(fd); }
  } catch (err) {
    if (err instanceof SentraError) throw err;
    throw new SentraError('ERR_UI_TOKEN', `cannot read the access token: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, file);
  }
  if (token.length < 20) throw new SentraError('ERR_UI_TOKEN', 'holds fewer than 20 characters: too easy to guess', file);
  return {
    created, file,
    matches: (presented) => equalSecret(presented.trim(), token),
    session: derive(token, 'sentra-ui-session-v1'),
    csrf: derive(token, 'sentra-ui-csrf-v1'),
  };
}
