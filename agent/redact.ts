// agent/redact.ts: keeps secrets out of every log line, status file, error message and delivery record.
// Secrets read from secret files register themselves here (agent/config/secret-file.ts); credentials in
// URLs (user:password@) and secret-looking query parameters are masked wherever they appear, known or not.
const secrets = new Set<string>();
const MASK = '***';

/** Remembers a secret so that every later redact() masks it, in plain and in JSON-escaped form. */
export function registerSecret(secret: string): void {
  // Very short values would mask ordinary words; such a secret is refused when it is read anyway.
  if (secret.length < 4) return;
  secrets.add(secret);
  const escaped = JSON.stringify(secret).slice(1, -1);
  if (escaped !== secret) secrets.add(escaped);
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]+)@/gi;
const SECRET_PARAMS = /([?&](?:password|passwd|pass|pwd|token|access_token|api_key|apikey|key|secret|sig|signature)=)[^&#\s"']*/gi;

/** The text with registered secrets, URL credentials and secret query parameters replaced by ***. */
export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (out.includes(s)) out = out.split(s).join(MASK);
  out = out.replace(URL_CREDENTIALS, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:${MASK}` : MASK}@`;
  });
  return out.replace(SECRET_PARAMS, `$1${MASK}`);
}

/** A URL fit to print: no credentials, no secret parameters. */
export function redactUrl(url: string): string {
  return redact(url);
}

/** The message of an error, redacted, on one line: what a log, a status or a CLI error may show. */
export function errorText(err: unknown, max = 300): string {
  const msg = err instanceof Error ? err.message : String(err);
  return redact(msg.split('\n')[0]!).slice(0, max);
}
