// agent/aggregate/detectors/logins.ts: successful remote logins per account and day, a success from an
// address that had just been failing (possible compromise), logins by UID-0 accounts other than root,
// and many addresses guessing at one account that really logs in here (distributed guessing).
import type { SignalDraft } from '../../model.js';
import { CappedCounter } from '../draft.js';
import { GUESSING, isSpray, SPRAYING } from '../guessing.js';
import { detach } from '../signal-id.js';
import { sourceEntity, sourceLists, splitSources } from '../sources.js';
import type { KeyedKind, Trait } from './keyed.js';

interface LoginAcc {
  sources: CappedCounter;
  methods: CappedCounter;
  newSources: Set<string>;
  offHours: number;
  firstLoginOfAccount: boolean;
  uid0: boolean;
}

export const remoteLogin: KeyedKind<LoginAcc> = {
  kind: 'remote-login',
  init: () => ({ sources: new CappedCounter(32), methods: new CappedCounter(8), newSources: new Set(), offHours: 0,
    firstLoginOfAccount: false, uid0: false }),
  add(acc, ev, ctx, b) {
    const { user, method } = ev.fields;
    const ip = ev.src;
    const base = user ? ctx.host.account(user) : undefined;
    let notable = false;
    if (ip) {
      acc.sources.add(ip, ev.repeat);
      if (ctx.host.warm(ev.ts) && !base?.sources.has(ip) && acc.newSources.size < 16) {
        acc.newSources.add(detach(ip));
        notable = true;
      }
    }
    if (!base && ctx.host.warm(ev.ts)) acc.firstLoginOfAccount = true;
    if (method) acc.methods.add(method);
    if (ctx.hours.offHours(ev.ts)) {
      acc.offHours += ev.repeat;
      notable = true;
    }
    if (user && ctx.host.uid0Accounts.has(user)) acc.uid0 = true;
    b.add(ev, notable);
    if (user) ctx.host.rememberLogin(user, ip, ev.ts, method?.startsWith('password') === true || method === 'keyboard-interactive/pam');
  },
  finish(b, acc, ctx) {
    const user = b.key;
    const traits: Trait[] = [];
    const privileged = ctx.cfg.privileged_accounts.includes(user) || acc.uid0;
    if (privileged) traits.push({ name: 'privileged_account', detail: `${user} is a privileged account` });
    if (acc.newSources.size > 0) {
      traits.push({ name: 'new_source', detail: `first login for ${user} from ${[...acc.newSources].sort().join(', ')}` });
    }
    if (acc.offHours > 0) traits.push({ name: 'off_hours', detail: `${acc.offHours} of ${b.count} logins outside ${ctx.hours.describe()}` });
    if (acc.methods.has('password')) traits.push({ name: 'password_auth', detail: 'logged in with a password rather than a key' });
    const sources = splitSources(acc.sources.top(20));
    return b.build('remote-access', { user, src_ips: sources.ips, ...(sources.hosts.length ? { src_hosts: sources.hosts } : {}) },
      { logins: b.count, src_ip_logins: sources.ips.map((ip) => acc.sources.counts.get(ip) ?? 0),
        ...(sources.hosts.length ? { src_host_logins: sources.hosts.map((h) => acc.sources.counts.get(h) ?? 0) } : {}),
        methods: acc.methods.top(8), new_sources: [...acc.newSources].sort(), off_hours: acc.offHours,
        first_login_of_account: acc.firstLoginOfAccount, sources: acc.sources.size }, traits);
  },
};

interface SafAcc {
  failures: number;
  firstFailure: number;
  users: string[];
  distinctUsers: number;
  spray: boolean;
  probes: number;
  other: number;
}

/** Called only when the source had at least min_failures failures within the lookback. */
export const successAfterFailures: KeyedKind<SafAcc> = {
  kind: 'ssh-success-after-failures',
  init: () => ({ failures: 0, firstFailure: Infinity, users: [], distinctUsers: 0, spray: false, probes: 0, other: 0 }),
  add(acc, ev, ctx, b) {
    const ip = ev.src!;
    const recent = ctx.host.recentFailures.get(ip);
    if (recent) {
      acc.failures = Math.max(acc.failures, recent.count);
      acc.firstFailure = Math.min(acc.firstFailure, recent.first);
      acc.users = recent.users.top(10);
      acc.distinctUsers = Math.max(acc.distinctUsers, recent.users.size + (recent.users.others > 0 ? 1 : 0));
      acc.spray = isSpray(recent.users, ctx.cfg);
      acc.probes = Math.max(acc.probes, recent.probes ?? 0);
      acc.other = Math.max(acc.other, recent.other ?? 0);
      for (const e of recent.evidence) b.addRecord(e, false);
      // The failures are lines behind this signal: their rules and mappings are its own.
      for (const id of recent.rules ?? []) b.rules.add(id);
      for (const id of recent.mitre ?? []) b.mitre.add(id);
      for (const id of recent.soc2 ?? []) b.soc2.add(id);
      for (const id of recent.iso ?? []) b.iso.add(id);
    }
    b.add(ev, true);
    if (ev.fields.user) {
      ctx.host.flaggedLogins.set(detach(ev.fields.user), ev.ts);
      ctx.host.lastFlaggedLogin = Math.max(ctx.host.lastFlaggedLogin, ev.ts);
    }
  },
  finish(b, acc, ctx) {
    const at = b.key.lastIndexOf('@');
    const user = b.key.slice(0, at), ip = b.key.slice(at + 1);
    if (acc.spray && b.mitre.delete(GUESSING)) b.mitre.add(SPRAYING);
    const traits: Trait[] = [{ name: 'success_after_failures',
      detail: `${acc.failures} failed attempts from ${ip} before the login succeeded` }];
    if (ctx.cfg.privileged_accounts.includes(user) || ctx.host.uid0Accounts.has(user)) {
      traits.push({ name: 'privileged_account', detail: `${user} is a privileged account` });
    }
    return b.build('remote-access', { user, ...sourceEntity(ip), users: acc.users },
      { failures_before: acc.failures, first_failure: new Date(acc.firstFailure).toISOString(), logins: b.count,
        users_tried: acc.users, distinct_users_tried: acc.distinctUsers, probes_before: acc.probes,
        other_lines_before: acc.other }, traits);
  },
};

interface Uid0Acc {
  sources: CappedCounter;
  uid: string;
}

export const uid0Login: KeyedKind<Uid0Acc> = {
  kind: 'uid0-login',
  init: () => ({ sources: new CappedCounter(16), uid: '0' }),
  add(acc, ev, _ctx, b) {
    const src = ev.src;
    if (src) acc.sources.add(src);
    b.add(ev, true);
  },
  finish(b, acc) {
    const user = b.key;
    return b.build('privilege-use', { user, uid: acc.uid, ...sourceLists(acc.sources.top(16)) }, { sessions: b.count },
      [{ name: 'uid0_account', detail: `${user} has UID 0, the same power as root, under another name` }]);
  },
};

interface GuessAcc {
  sources: CappedCounter;
  attempts: number;
}

export const distributedGuessing: KeyedKind<GuessAcc> = {
  kind: 'ssh-distributed-guessing',
  init: () => ({ sources: new CappedCounter(1000), attempts: 0 }),
  add(acc, ev, _ctx, b, weight) {
    acc.sources.add(ev.src ?? 'unknown', weight);
    acc.attempts += weight;
    b.add(ev);
  },
  finish(b, acc, ctx): SignalDraft | null {
    if (acc.sources.size < ctx.cfg.distributed_guessing.min_sources) return null;
    const user = b.key;
    const base = ctx.host.account(user);
    const traits: Trait[] = [{ name: 'known_account_targeted', detail: `${user} is an account that logs in on this host` }];
    if (base && base.passwordLogins > 0) {
      traits.push({ name: 'password_login_seen', detail: `${user} has logged in with a password here, so guessing can succeed` });
    }
    return b.build('credential-access', { user, ...sourceLists(acc.sources.top(20)) },
      { attempts: acc.attempts, sources: acc.sources.size + (acc.sources.others > 0 ? 1 : 0), all_failed: true }, traits);
  },
};
