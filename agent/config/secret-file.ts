// agent/config/secret-file.ts: the one rule for every file that holds a secret (the ClickHouse password,
// the webhook secret, the Slack URL, the SMTP credentials, the AI key, TLS private keys):
//   - it is a regular file, owned by root or by the service user (`sentra`, or whoever runs Sentra);
//   - others have no access at all (no o+rwx); the group may read (root:sentra 0640) but not write;
//   - it is not empty.
// `sentra check` refuses a config whose secret files break the rule, and so does the agent at start.
// Every secret read here is registered for redaction, so it never reaches a log, a status or an error.
import { readFileSync, statSync } from 'node:fs';
import { SentraError } from '../errors.js';
import { registerSecret } from '../redact.js';

export const SERVICE_USER = 'sentra';

/** The uid of the service user from /etc/passwd, when the package created it. */
function serviceUid(): number | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , uid] = line.split(':');
      if (name === SERVICE_USER && uid !== undefined) return Number(uid);
    }
  } catch { /* no passwd file: only root and the current user */ }
  return undefined;
}

export function allowedOwners(): number[] {
  const owners = new Set<number>([0]);
  if (typeof process.getuid === 'function') owners.add(process.getuid());
  const svc = serviceUid();
  if (svc !== undefined) owners.add(svc);
  return [...owners].sort((a, b) => a - b);
}

/** Why this file may not hold a secret, or null when it may. Does not read the content. */
export function secretFileProblem(path: string): string | null {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).message})`;
  }
  if (!st.isFile()) return 'is not a regular file';
  const owners = allowedOwners();
  if (!owners.includes(st.uid)) {
    return `is owned by uid ${st.uid}; a secret file must be owned by root or the ${SERVICE_USER} user (chown root:${SERVICE_USER})`;
  }
  const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
  if ((st.mode & 0o007) !== 0) return `is open to everyone (mode ${mode}); chmod 600 it, or 640 with group ${SERVICE_USER}`;
  if ((st.mode & 0o020) !== 0) return `is writable by its group (mode ${mode}); chmod 600 it, or 640 with group ${SERVICE_USER}`;
  return null;
}

/**
 * The secret in `path`, trimmed, after checking the rule; `what` names it in errors ("the webhook secret").
 * Throws ERR_SECRET_FILE naming the file and the config key; the content never appears in a message.
 */
export function readSecretFile(path: string, what: string, key: string): string {
  const problem = secretFileProblem(path);
  if (problem) throw new SentraError('ERR_SECRET_FILE', `${what} file (${key}) ${problem}`, path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SentraError('ERR_SECRET_FILE', `${what} file (${key}) cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, path);
  }
  const secret = text.trim();
  if (secret.length === 0) throw new SentraError('ERR_SECRET_FILE', `${what} file (${key}) is empty`, path);
  registerSecret(secret);
  return secret;
}
