// test/helpers/tone.ts: the words Sentra never uses, and a checker for its own sentences.
export const BANNED = ['urgent', 'urgently', 'immediately', 'immediate', 'critical', 'alert', 'alarm', 'alarming', 'danger',
  'dangerous', 'severe', 'catastrophic', 'emergency', 'panic', 'breach', 'breached', 'hacker', 'hacked', 'attack', 'attacker',
  'attacked', 'malicious', 'devastating', 'massive', 'huge', 'warning', 'threat', 'hostile', 'intruder', 'compromise',
  'compromised', 'suspicious', 'evil', 'nasty', 'disaster', 'catastrophe', 'asap'];
// Upper-case words that are names, not emphasis.
const ACRONYMS = new Set(['SSH', 'UID', 'GID', 'IP', 'PAM', 'CVE', 'SOC', 'ISO', 'TTY', 'DNS', 'UTC', 'HIGH', 'MEDIUM', 'LOW', 'INFO',
  'CHG', 'API', 'ID', 'OK', 'IPV4', 'IPV6', 'RSA', 'DSA', 'ECDSA', 'ED25519', 'SHA256', 'MAC', 'CRC32', 'UFW', 'GSSAPI', 'TCP', 'SSSD', 'LDAP', 'NSS', 'SELINUX']);

export function toneProblems(text: string): string[] {
  const problems: string[] = [];
  if (text.includes('!')) problems.push('exclamation mark');
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) if (BANNED.includes(word)) problems.push(`banned word "${word}"`);
  // Words of our own making only: values copied from logs (user names, commands) may be anything.
  for (const word of text.match(/\b[A-Z][A-Z0-9]{2,}\b/g) ?? []) if (!ACRONYMS.has(word)) problems.push(`capitals "${word}"`);
  return problems;
}

