// agent/daemon/warnings.ts: the warnings `sentra status` lists (and the metrics count): things an operator
// should look at that do not stop the agent. Each says what happened and what it means for the signals.
import type { Notifier } from '../sinks/notify/notifier.js';

export interface WarningFacts {
  silence: string[];
  notifications: ReturnType<Notifier['stats']>;
  configError: string | null;
  restartNeeded: string[];
  ahead: number;
  late: number;
  lateDays: number;
  rulesError: string | null;
  overridesError: string | null;
}

export function statusWarnings(w: WarningFacts): string[] {
  return [
    ...w.silence,
    ...w.notifications.filter((n) => n.given_up > 0)
      .map((n) => `${n.given_up} notifications to ${n.target} were given up after every retry (notifications.jsonl); last error: ${n.last_error ?? 'none'}`),
    ...(w.configError ? [w.configError] : []),
    ...(w.restartNeeded.length ? [`config.yaml changed ${w.restartNeeded.join(', ')}: takes effect at the next restart`] : []),
    ...(w.ahead > 0 ? [`${w.ahead} lines were dated more than 12 hours ahead of the lines around them (a sender's clock?): kept, they did not move time forward`] : []),
    ...(w.late > 0 ? [`${w.late} lines arrived more than ${w.lateDays} days after their day had closed: counted, not in any signal`] : []),
    ...(w.rulesError ? [`rules: ${w.rulesError}`] : []),
    ...(w.overridesError ? [`overrides: ${w.overridesError}`] : []),
  ];
}
