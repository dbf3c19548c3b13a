// agent/aggregate/business-hours.ts: is an event time outside the configured working hours?
import type { BusinessHours } from '../config/detection.js';

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export class BusinessClock {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly cache = new Map<number, boolean>();

  constructor(private readonly hours: BusinessHours) {
    this.fmt = new Intl.DateTimeFormat('en-US', { timeZone: hours.timezone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
  }

  offHours(ts: number): boolean {
    const hourKey = Math.floor(ts / 3_600_000);
    let off = this.cache.get(hourKey);
    if (off === undefined) {
      const parts = this.fmt.formatToParts(new Date(hourKey * 3_600_000));
      const weekday = WEEKDAY[parts.find((p) => p.type === 'weekday')?.value ?? ''] ?? 0;
      const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
      off = !this.hours.days.includes(weekday) || hour < this.hours.start_hour || hour >= this.hours.end_hour;
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(hourKey, off);
    }
    return off;
  }

  describe(): string {
    const h = this.hours;
    return `${String(h.start_hour).padStart(2, '0')}:00-${String(h.end_hour).padStart(2, '0')}:00 ${h.timezone}`;
  }
}
