// agent/aggregate/detectors/ssh-sources.ts: failed logins and probes per source address and day.
// Most internet traffic is background noise and collapses into one daily signal; a source gets its own
// signal only when it stands out: very heavy (brute force), or spraying accounts known to log in here.
import type { Event, SignalDraft } from '../../model.js';
import { CappedCounter, DraftBuilder, toEvidence } from '../draft.js';
import { detach } from '../signal-id.js';
import { labelGuessing } from '../guessing.js';
import { sourceEntity, splitListed } from '../sources.js';
import type { DayState, SourceStats } from '../state.js';
import type { DetectorContext, Trait } from './keyed.js';

const PER_SOURCE_EVIDENCE = 10;

function newStats(ts: number): SourceStats {
  return {
    attempts: 0, failures: 0, probes: 0, users: new CappedCounter(64), known: new Set(), first: ts, last: ts,
    rules: new Set(), mitre: new Set(), soc2: new Set(), iso: new Set(), evidence: [],
  };
}

/** Records a failed login or a probe from `ip`; `attempts` is what the line stands for (HostState.attemptsOf). */
export function addSourceEvent(day: DayState, ip: string, ev: Event, ctx: DetectorContext, attempts: number): void {
  let s = day.sources.get(ip);
  const isAttempt = attempts > 0;
  if (!s) {
    if (day.sources.size >= ctx.cfg.limits.sources_per_day) {
      day.untrackedAttempts += attempts;
      if (!ev.rule.tags.has('probe')) day.untrackedSources++;
      return;
    }
    day.sources.set(detach(ip), (s = newStats(ev.ts)));
  }
  if (ev.ts < s.first) s.first = ev.ts;
  if (ev.ts > s.last) s.last = ev.ts;
  if (ev.rule.tags.has('probe') || ev.rule.intent === 'discovery') s.probes += ev.repeat;
  else s.failures += ev.repeat;
  const user = ev.fields.user;
  if (isAttempt) {
    s.attempts += attempts;
    if (user) {
      s.users.add(user, attempts);
      if (ctx.host.account(user) && !ev.rule.tags.has('invalid-user')) s.known.add(detach(user));
    }
  }
  if (!s.rules.has(ev.rule.id)) {
    s.rules.add(ev.rule.id);
    for (const id of ev.rule.mitre) s.mitre.add(id);
    for (const id of ev.rule.soc2) s.soc2.add(id);
    for (const id of ev.rule.iso27001) s.iso.add(id);
  }
  // A few lines per address are enough: heavy sources are shown by their first attempts.
  if (s.evidence.length < PER_SOURCE_EVIDENCE && (isAttempt || s.evidence.length < 3)) {
    s.evidence.push(toEvidence(ev));
  }
}

function fromStats(host: string, kind: string, key: string, day: DayState, list: Array<[string, SourceStats]>,
  cap: number): DraftBuilder {
  const b = new DraftBuilder(host, kind, key, day.start, cap);
  for (const [, s] of list) {
    if (s.first < b.firstSeen) b.firstSeen = s.first;
    if (s.last > b.lastSeen) b.lastSeen = s.last;
    b.count += s.failures + s.probes + (s.other ?? 0);
    for (const r of s.rules) b.rules.add(r);
    for (const r of s.mitre) b.mitre.add(r);
    for (const r of s.soc2) b.soc2.add(r);
    for (const r of s.iso) b.iso.add(r);
  }
  return b;
}

function evidenceOf(b: DraftBuilder, list: Array<[string, SourceStats]>, cap: number): SignalDraft['evidence'] {
  // Round-robin over the heaviest sources so the evidence shows several of them.
  const out: SignalDraft['evidence'] = [];
  for (let i = 0; out.length < cap; i++) {
    let added = false;
    for (const [, s] of list) {
      const e = s.evidence[i];
      if (e && out.length < cap) {
        out.push(e);
        added = true;
      }
    }
    if (!added) break;
  }
  void b;
  return out.sort((x, y) => (x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : 0));
}

const byWeight = (a: [string, SourceStats], b: [string, SourceStats]): number =>
  b[1].attempts - a[1].attempts || b[1].failures - a[1].failures || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function usersOf(list: Array<[string, SourceStats]>): CappedCounter {
  const users = new CappedCounter(256);
  for (const [, s] of list) for (const [u, n] of s.users.counts) users.add(u, n);
  return users;
}

/** `203.0.113.7: 12 attempts, 3 probes, 30 other lines`: one source's share of a signal. */
function sourceLine(ip: string, s: SourceStats): string {
  return `${ip}: ${s.attempts} attempts, ${s.probes} probes, ${s.other ?? 0} other lines`;
}

export function closeSources(day: DayState, ctx: DetectorContext): SignalDraft[] {
  const { cfg } = ctx;
  const cap = cfg.limits.evidence_per_signal;
  const host = ctx.host.host;
  const out: SignalDraft[] = [];
  const noise: Array<[string, SourceStats]> = [];
  // Disconnects and other noise from a tracked source count toward its activity.
  for (const [ip, s] of day.sources) s.other = day.activity.get(ip) ?? 0;
  for (const entry of [...day.sources].sort(byWeight)) {
    const [ip, s] = entry;
    // Targeted: the names tried are mostly accounts that really log in here. Dictionary scanners also hit
    // root or ubuntu, but among dozens of made-up names; those stay background (and guessing at a real
    // account is still reported per account, by ssh-distributed-guessing).
    const spray = s.users.size >= cfg.password_spray.min_users && s.known.size >= cfg.password_spray.min_known_accounts
      && s.known.size / s.users.size >= cfg.password_spray.min_known_share;
    const heavy = s.attempts >= cfg.brute_force.heavy_attempts;
    if (!spray && !heavy) {
      noise.push(entry);
      continue;
    }
    const kind = spray ? 'ssh-password-spray' : 'ssh-brute-force';
    const b = fromStats(host, kind, ip, day, [entry], cap);
    labelGuessing(b.mitre, s.users, cfg);
    const traits: Trait[] = [];
    if (spray) traits.push({ name: 'known_accounts_targeted', detail: `${s.known.size} of the ${s.users.size} names tried are accounts that log in here: ${[...s.known].sort().join(', ')}` });
    if (heavy) traits.push({ name: 'heavy_volume', detail: `${s.attempts} attempts in one day` });
    const draft = b.build('credential-access', { ...sourceEntity(ip), users: s.users.top(20) },
      { attempts: s.attempts, failures: s.failures, probes: s.probes, other_lines: s.other ?? 0,
        distinct_users: s.users.size + (s.users.others > 0 ? 1 : 0), known_accounts: [...s.known].sort(), all_failed: true }, traits);
    draft.evidence = evidenceOf(b, [entry], cap);
    out.push(draft);
  }
  if (noise.length > 0 || day.untrackedSources > 0) {
    const b = fromStats(host, 'ssh-background-noise', 'all', day, noise, cap);
    const attempts = noise.reduce((n, [, s]) => n + s.attempts, 0) + day.untrackedAttempts;
    const probes = noise.reduce((n, [, s]) => n + s.probes, 0);
    b.count += day.supportingFailures;
    const users = usersOf(noise);
    const listed = splitListed(noise.slice(0, 20));
    const lines = (st: SourceStats): number => st.failures + st.probes + (st.other ?? 0);
    const other = noise.reduce((n, [, st]) => n + (st.other ?? 0), 0);
    const draft = b.build('credential-access',
      { src_ips: listed.ips.map(([ip]) => ip), ...(listed.hosts.length ? { src_hosts: listed.hosts.map(([h]) => h) } : {}), users: users.top(20) },
      // Lines per listed address (aligned with src_ips; src_host_lines with src_hosts): the fleet view counts
      // each line once from these.
      { sources: noise.length + day.untrackedSources, attempts, probes, other_lines: other, supporting_lines: day.supportingFailures,
        src_ip_lines: listed.ips.map(([, st]) => lines(st)),
        ...(listed.hosts.length ? { src_host_lines: listed.hosts.map(([, st]) => lines(st)) } : {}),
        source_counts: noise.slice(0, 20).map(([ip, st]) => sourceLine(ip, st)),
        untracked_sources: day.untrackedSources, distinct_users: users.size, all_failed: true,
        top_source: noise[0]?.[0] ?? '', top_source_attempts: noise[0]?.[1].attempts ?? 0 }, []);
    draft.evidence = evidenceOf(b, noise.slice(0, 10), cap);
    out.push(draft);
  }
  return out;
}
