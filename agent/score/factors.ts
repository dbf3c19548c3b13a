// agent/score/factors.ts: the named risk factors and their weights, and each kind's base risk.
// Risk = base + the weights of the factors present, capped at 1. Every factor is shown with the signal.

export const BASE_RISK: Readonly<Record<string, number>> = {
  'ssh-background-noise': 0.05,
  'ssh-brute-force': 0.15,
  'ssh-password-spray': 0.2,
  'ssh-distributed-guessing': 0.2,
  'ssh-success-after-failures': 0.2,
  'remote-login': 0.05,
  'uid0-login': 0.2,
  'privilege-use': 0.05,
  'account-change': 0.15,
  'rule-match': 0.1,
};

export const FACTOR_WEIGHTS: Readonly<Record<string, number>> = {
  success_after_failures: 0.55,
  uid0_account: 0.6,
  uid0_created: 0.6,
  exploit_indicator: 0.75,
  suspicious_command: 0.7,
  follows_suspicious_login: 0.4,
  privileged_group: 0.35,
  critical_severity_rule: 0.7,
  high_severity_rule: 0.5,
  medium_severity_rule: 0.2,
  new_source: 0.3,
  privileged_account: 0.25,
  known_accounts_targeted: 0.2,
  known_account_targeted: 0.05,
  password_login_seen: 0.15,
  not_permitted: 0.25,
  repeated_denials: 0.1,
  off_hours: 0.15,
  password_auth: 0.05,
  heavy_volume: 0.05,
};

export const BANDS = [
  { band: 'high', min: 0.7 },
  { band: 'medium', min: 0.4 },
  { band: 'low', min: 0.15 },
  { band: 'info', min: 0 },
] as const;
