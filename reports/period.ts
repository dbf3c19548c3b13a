// reports/period.ts: report periods. Weeks are ISO weeks (Monday to Sunday) in UTC, named like 2026-W46.
import { SentraError } from '../agent/errors.js';
import { now as clockNow } from '../agent/clock.js';

export interface Period {
  /** Inclusive start, ms. */
  from: number;
  /** Exclusive end, ms. */
  to: number;
  /** `2026-W46` for a week, else `2026-11-09..2026-11-15`. */
  label: string;
}

const DAY = 86_400_000;

/** Monday 00:00 UTC of ISO week `week` of `year`. */
export function isoWeekStart(year: number, week: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - jan4Weekday * DAY + (week - 1) * 7 * DAY;
}

export function isoWeekOf(ts: number): { year: number; week: number } {
  const d = new Date(Math.floor(ts / DAY) * DAY);
  const weekday = (d.getUTCDay() + 6) % 7;
  const thursday = d.getTime() + (3 - weekday) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  return { year, week: Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1 };
}

export function weekPeriod(year: number, week: number): Period {
  const from = isoWeekStart(year, week);
  return { from, to: from + 7 * DAY, label: `${year}-W${String(week).padStart(2, '0')}` };
}

export function parseWeek(s: string): Period {
  const m = /^(\d{4})-W(\d{2})$/.exec(s);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 53) throw new SentraError('ERR_USAGE', `--week takes an ISO week like 2026-W46, not "${s}"`);
  // Most years have 52 ISO weeks: a week 53 that does not exist would silently be the next year's first.
  const p = weekPeriod(Number(m[1]), Number(m[2]));
  const back = isoWeekOf(p.from);
  if (back.year !== Number(m[1]) || back.week !== Number(m[2])) throw new SentraError('ERR_USAGE', `${m[1]} has no ISO week ${m[2]} (it has 52)`);
  return p;
}

/** The last complete ISO week before `now`. */
export function lastWeek(now = clockNow()): Period {
  const { year, week } = isoWeekOf(now - 7 * DAY);
  return weekPeriod(year, week);
}

export function previous(p: Period): Period {
  const len = p.to - p.from;
  const { year, week } = isoWeekOf(p.from - DAY);
  return len === 7 * DAY && p.label.includes('-W') ? weekPeriod(year, week) : { from: p.from - len, to: p.from, label: rangeLabel(p.from - len, p.from) };
}

function day(s: string, flag: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) {
    throw new SentraError('ERR_USAGE', `${flag} takes a date like 2026-11-09, not "${s}"`);
  }
  return Date.parse(`${s}T00:00:00Z`);
}

const rangeLabel = (from: number, to: number): string =>
  `${new Date(from).toISOString().slice(0, 10)}..${new Date(to - DAY).toISOString().slice(0, 10)}`;

/** --from and --to are whole UTC days, both included. */
export function dayRange(from: string, to: string): Period {
  const f = day(from, '--from');
  const t = day(to, '--to') + DAY;
  if (t <= f) throw new SentraError('ERR_USAGE', '--to is before --from');
  return { from: f, to: t, label: rangeLabel(f, t) };
}

/** The ISO weeks that overlap a period. */
export function weeksIn(p: Period): Period[] {
  const out: Period[] = [];
  let { year, week } = isoWeekOf(p.from);
  for (let w = weekPeriod(year, week); w.from < p.to; w = weekPeriod(year, week)) {
    out.push(w);
    ({ year, week } = isoWeekOf(w.to));
  }
  return out;
}
