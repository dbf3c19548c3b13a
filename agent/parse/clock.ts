// agent/parse/clock.ts: turns the wall-clock times in log headers into UTC instants.
// Classic syslog lines carry no year and no zone: the year comes from a YearPolicy, the zone from config.
import { nowDate, now as clockNow } from '../clock.js';

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

export function monthIndex(abbrev: string): number | undefined {
  return MONTHS[abbrev];
}

/**
 * How to find the year of a classic syslog line.
 * - `first`: the first line is in `year`; later lines roll over to the next year when the month goes back (Dec → Jan).
 * - `reference`: the file ends at `year`/`month` (its mtime): a line whose month is later than that belongs to the year before.
 * - `now`: like `reference`, with the current date (the live agent, whose lines are being written now).
 */
export type YearPolicy =
  | { kind: 'first'; year: number }
  | { kind: 'reference'; year: number; month: number }
  | { kind: 'now' };

export class YearResolver {
  private year: number;
  private lastMonth = -1;

  constructor(private readonly policy: YearPolicy) {
    this.year = policy.kind === 'now' ? nowDate().getUTCFullYear() : policy.year;
  }

  yearFor(month: number): number {
    if (this.policy.kind === 'reference') {
      return month > this.policy.month ? this.policy.year - 1 : this.policy.year;
    }
    if (this.policy.kind === 'now') {
      // A day of slack: a host east of UTC writes January 1st while UTC is still in December.
      const now = new Date(clockNow() + 86_400_000);
      return month > now.getUTCMonth() ? now.getUTCFullYear() - 1 : now.getUTCFullYear();
    }
    // A jump back of more than six months is a new year, not lines slightly out of order.
    if (this.lastMonth >= 0 && month < this.lastMonth - 6) this.year++;
    this.lastMonth = month;
    return this.year;
  }
}

/** Converts wall-clock fields in an IANA zone to epoch milliseconds; caches zone offsets per hour. */
export class ZoneClock {
  private readonly utc: boolean;
  private readonly fmt: Intl.DateTimeFormat | undefined;
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.utc = timeZone === 'UTC' || timeZone === 'Etc/UTC';
    this.fmt = this.utc ? undefined : new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  }

  toEpoch(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
    const wall = Date.UTC(y, mo, d, h, mi, s);
    if (this.utc) return wall;
    // Guess with the offset at the wall time, then correct once for a DST change in between.
    const first = wall - this.offsetAt(wall);
    const second = wall - this.offsetAt(first);
    return second;
  }

  private offsetAt(epoch: number): number {
    const hour = Math.floor(epoch / 3_600_000);
    let off = this.offsets.get(hour);
    if (off === undefined) {
      off = this.computeOffset(hour * 3_600_000);
      if (this.offsets.size > 10_000) this.offsets.clear();
      this.offsets.set(hour, off);
    }
    return off;
  }

  private computeOffset(epoch: number): number {
    const parts = this.fmt!.formatToParts(new Date(epoch));
    const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return asUtc - epoch;
  }
}

/** The zone the host's own logs are written in, unless configured otherwise. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
