// agent/parse/identifiers.ts: the raw syslog identifiers that parse to a program name other than their own
// (see normaliseProgram in header.ts). The journald source filters on exact SYSLOG_IDENTIFIER values, so
// it asks for these too: otherwise a rule for `polkitd` would never see Ubuntu 20.04/22.04's polkit 0.105,
// which logs as `polkitd(authority=local)`.
import { normaliseProgram } from './header.js';

const ALIASES: ReadonlyArray<string> = [
  'polkitd(authority=local)', // polkit 0.105 (Ubuntu 20.04, 22.04)
  'gdm-password]', // GDM's PAM worker, from its process title
  'gdm-autologin]',
  'gdm-launch-environment]',
  '(systemd)', // the user manager of a session
  '(sd-pam)', // its PAM helper
  'sshd(pam_unix)', // RHEL 4 era PAM tags
  'su(pam_unix)',
  'login(pam_unix)',
];

/**
 * The programs and every known identifier that parses to one of them, sorted. `*` (rules for any program,
 * such as generic PAM lines) names no identifier: those rules see the lines of the identifiers listed here.
 */
export function journalIdentifiers(programs: Iterable<string>): string[] {
  const wanted = new Set([...programs].filter((p) => p !== '*'));
  const out = new Set(wanted);
  for (const a of ALIASES) if (wanted.has(normaliseProgram(a))) out.add(a);
  return [...out].sort();
}
