// agent/aggregate/detectors/accounts.ts: account and group changes per target account and day
// (created, deleted, added to a group, password or lock changes), the raw material of access reviews.
import { CappedCounter } from '../draft.js';
import { detach } from '../signal-id.js';
import type { KeyedKind, Trait } from './keyed.js';

interface AccountAcc {
  actions: CappedCounter;
  actors: CappedCounter;
  groups: CappedCounter;
  privilegedGroups: Set<string>;
  uid0: boolean;
  created: boolean;
  deleted: boolean;
  offHours: number;
  afterFlagged: boolean;
  /** Whether any event named the key as an account (else the key is only a group). */
  account: boolean;
}

const LOOKBACK_MS = 24 * 3_600_000;

export const accountChange: KeyedKind<AccountAcc> = {
  kind: 'account-change',
  init: () => ({ actions: new CappedCounter(16), actors: new CappedCounter(8), groups: new CappedCounter(16),
    privilegedGroups: new Set(), uid0: false, created: false, deleted: false, offHours: 0, afterFlagged: false, account: false }),
  add(acc, ev, ctx, b) {
    const t = ev.rule.tags;
    const { user, group, target_user: target } = ev.fields;
    acc.actions.add(ev.rule.title, ev.repeat);
    if (user) acc.actors.add(user);
    if (target) acc.account = true;
    if (group) acc.groups.add(group);
    if (t.has('privileged-group') && group) acc.privilegedGroups.add(detach(group));
    if (t.has('uid0')) {
      acc.uid0 = true;
      if (target) ctx.host.uid0Accounts.add(detach(target));
    }
    if (t.has('account-create')) acc.created = true;
    if (t.has('account-delete')) acc.deleted = true;
    if (ctx.hours.offHours(ev.ts)) acc.offHours += ev.repeat;
    if (ev.ts >= ctx.host.lastFlaggedLogin && ev.ts - ctx.host.lastFlaggedLogin <= LOOKBACK_MS) acc.afterFlagged = true;
    b.add(ev, t.has('privileged-group') || t.has('uid0'));
  },
  finish(b, acc, ctx) {
    const traits: Trait[] = [];
    const [what, name] = acc.account ? ['account', b.key] : ['group', b.key];
    if (acc.uid0) traits.push({ name: 'uid0_created', detail: `${name} was given UID 0 or GID 0, the power of root` });
    if (acc.privilegedGroups.size > 0) {
      traits.push({ name: 'privileged_group', detail: `${name} was added to ${[...acc.privilegedGroups].sort().join(', ')}` });
    }
    if (acc.afterFlagged) traits.push({ name: 'follows_suspicious_login', detail: 'The change came within a day of a login that followed repeated failures' });
    if (acc.offHours > 0) traits.push({ name: 'off_hours', detail: `The changes were made outside ${ctx.hours.describe()}` });
    const entities: Record<string, string | string[]> = what === 'group' ? { group: name } : { target_user: name };
    if (acc.actors.size > 0) entities.users = acc.actors.top(8);
    if (acc.groups.size > 0) entities.groups = acc.groups.top(16);
    return b.build('identity-management', entities,
      { changes: b.count, actions: acc.actions.top(16), created: acc.created, deleted: acc.deleted,
        privileged_groups: [...acc.privilegedGroups].sort(), subject: what }, traits);
  },
};
