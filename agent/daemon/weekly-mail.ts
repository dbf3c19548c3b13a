// agent/daemon/weekly-mail.ts: the weekly email, scheduled inside the agent with node-cron (default Monday
// 08:00 in the host's zone). A failed send is retried until it succeeds or the week is over; a week that
// was sent is never sent again (reports-sent.jsonl); a send time missed while the agent was down is caught
// up at start.
import { CronExpressionParser } from 'cron-parser';
import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/load.js';
import type { OverrideSet } from '../override/load.js';
import type { LocalStore } from '../store/local-store.js';
import { alreadySent, sendWeekly } from '../../reports/email.js';
import { isoWeekStart, isoWeekOf, lastWeek } from '../../reports/period.js';
import { buildWeekly, withWording } from '../../reports/weekly/weekly.js';
import { localTimeZone } from '../parse/clock.js';
import type { LogFn } from './log.js';
import { now } from '../clock.js';

export class WeeklyMail {
  private task: ScheduledTask | undefined;
  private retry: NodeJS.Timeout | undefined;
  private sending = false;

  constructor(private readonly cfg: Config, private readonly store: LocalStore, private readonly overrides: () => OverrideSet,
    private readonly log: LogFn) {}

  /** Starts the schedule; `lastRun` is when the agent last saved state (for catch-up after downtime). */
  start(lastRun: Date | undefined): void {
    const timezone = this.cfg.email.timezone ?? localTimeZone();
    this.task = cron.schedule(this.cfg.email.schedule, () => void this.send('schedule'), { timezone });
    const due = CronExpressionParser.parse(this.cfg.email.schedule, { tz: timezone }).prev().getTime();
    const { year, week } = isoWeekOf(now());
    // A send time in this week passed while the agent was not running: send the missed report now.
    if (lastRun && lastRun.getTime() < due && due >= isoWeekStart(year, week)) void this.send('catch-up');
  }

  stop(): void {
    void this.task?.stop();
    clearTimeout(this.retry);
  }

  async send(why: string): Promise<void> {
    if (this.sending) return;
    const period = lastWeek(now());
    if (alreadySent(this.cfg.state_dir, period.label)) return;
    this.sending = true;
    try {
      const facts = await withWording(this.cfg, buildWeekly({ store: this.store, stateDir: this.cfg.state_dir, period,
        overrides: this.overrides(), ...(this.cfg.host ? { host: this.cfg.host } : {}) }));
      const r = await sendWeekly(this.cfg, facts);
      if (!r.skipped) this.log('info', `weekly report ${period.label} sent to ${r.to.join(', ')}`, { message_id: r.messageId, why, wording: facts.narrative.wording });
    } catch (err) {
      this.log('warn', `weekly report ${period.label} not sent: ${(err as Error).message}; retrying in ${this.cfg.email.retry_seconds} s`);
      clearTimeout(this.retry);
      // Retry only while that week is still the last complete one: never send a stale week late.
      this.retry = setTimeout(() => { if (lastWeek(now()).label === period.label) void this.send('retry'); }, this.cfg.email.retry_seconds * 1000);
    } finally {
      this.sending = false;
    }
  }
}
