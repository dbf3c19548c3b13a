// agent/config/detection.ts: the thresholds and bounds of aggregation, with their defaults.
// Every default lives here and nowhere else; config files override them key by key.

export interface BusinessHours {
  /** Hour of day (0-23) when business hours start, inclusive. */
  start_hour: number;
  /** Hour of day (1-24) when business hours end, exclusive. */
  end_hour: number;
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  days: number[];
  timezone: string;
}

export interface DetectionConfig {
  business_hours: BusinessHours;
  /** Accounts whose use counts as privileged besides UID 0. */
  privileged_accounts: string[];
  brute_force: { heavy_attempts: number };
  /** One address trying several accounts that really log in here, and mostly those (a targeted spray). */
  password_spray: { min_users: number; min_known_accounts: number; min_known_share: number };
  distributed_guessing: { min_sources: number };
  success_after_failures: { min_failures: number; lookback_minutes: number };
  new_source: { warmup_hours: number };
  /** Incidents: how far apart (event time) two linked signals may be, and how many signals are held per host. */
  correlation: { window_hours: number; signals_per_host: number };
  limits: {
    /** Failing source addresses tracked one by one per host and day; more are counted together. */
    sources_per_day: number;
    /** Keyed signals (per user, per account, …) per host, kind and day; more fold into an overflow signal. */
    keys_per_kind: number;
    /** Source addresses remembered for success-after-failures per host. */
    recent_failure_sources: number;
    /** Addresses remembered per account for first-seen baselines. */
    sources_per_account: number;
    /** Raw lines kept as evidence per signal. */
    evidence_per_signal: number;
    /** Days a late event may trail the newest one before its window is closed. */
    late_days: number;
  };
}

export const DEFAULT_DETECTION: DetectionConfig = {
  business_hours: { start_hour: 7, end_hour: 20, days: [1, 2, 3, 4, 5], timezone: 'UTC' },
  privileged_accounts: ['root'],
  brute_force: { heavy_attempts: 1000 },
  password_spray: { min_users: 3, min_known_accounts: 2, min_known_share: 0.5 },
  distributed_guessing: { min_sources: 5 },
  success_after_failures: { min_failures: 5, lookback_minutes: 1440 },
  new_source: { warmup_hours: 24 },
  correlation: { window_hours: 24, signals_per_host: 5_000 },
  limits: {
    sources_per_day: 20_000,
    keys_per_kind: 2_000,
    recent_failure_sources: 50_000,
    sources_per_account: 64,
    evidence_per_signal: 20,
    late_days: 2,
  },
};
