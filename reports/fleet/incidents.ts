// reports/fleet/incidents.ts: fleet incidents. One story across hosts: a public address that got in after
// failing and also got in on other hosts, or one account that logged in after failures (possibly compromised)
// on several hosts. Stories that share a signal are one incident. Ids are stable: a hash of the first
// signal's (tenant, host, id), like a host incident's id is a hash of its first signal.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Band, Incident } from '../../agent/model.js';
import { incidentId } from '../../agent/correlate/incident.js';
import { bandOf } from '../../agent/score/score.js';
import type { AddressFacts } from './addresses.js';

interface Ref { tenant: string; host: string; id: string }
interface Story { refs: Map<string, Ref>; reasons: Map<string, string>; addresses: Set<string>; accounts: Set<string> }

const key = (r: Ref): string => `${r.tenant}/${r.host}/${r.id}`;
const clean = (v: unknown): string => String(v ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
const lit = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

async function all(c: ClickHouseClient, query: string): Promise<Array<Record<string, unknown>>> {
  return (await c.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
}

/** `latest` is the report's signals_latest subquery (period and tenant applied). */
export async function fleetIncidents(c: ClickHouseClient, latest: string, addresses: AddressFacts[]): Promise<Incident[]> {
  const stories: Story[] = [];
  for (const a of addresses) {
    const got = a.per_host.filter((h) => h.outcome !== 'failed only');
    if (got.length < 2 || !got.some((h) => h.outcome === 'succeeded after failures')) continue;
    const s: Story = { refs: new Map(), reasons: new Map(), addresses: new Set([a.ip]), accounts: new Set() };
    for (const h of got) {
      for (const id of h.signal_ids) {
        const r = { tenant: h.tenant, host: h.host, id };
        s.refs.set(key(r), r);
        s.reasons.set(key(r), `${a.ip} ${h.outcome === 'succeeded after failures' ? 'got in after failing' : 'logged in'} on ${h.tenant}/${h.host}${h.accounts.length ? ` as ${h.accounts.join(', ')}` : ''}`);
      }
      for (const u of h.accounts) s.accounts.add(u);
    }
    stories.push(s);
  }
  const accounts = await all(c, `SELECT tenant, account, groupUniqArray(host) AS hosts, groupArray((host, id)) AS refs,
    groupUniqArrayArray(src_ips) AS ips FROM ${latest}
    ARRAY JOIN accounts AS account WHERE kind = 'ssh-success-after-failures' AND suppressed = 0
    GROUP BY tenant, account HAVING length(hosts) >= 2 ORDER BY tenant, account`);
  for (const row of accounts) {
    const tenant = clean(row.tenant);
    const account = clean(row.account);
    const s: Story = { refs: new Map(), reasons: new Map(), addresses: new Set((row.ips as string[]).map(clean)), accounts: new Set([account]) };
    for (const [h, id] of row.refs as Array<[string, string]>) {
      const r = { tenant, host: clean(h), id: clean(id) };
      s.refs.set(key(r), r);
      s.reasons.set(key(r), `${account} logged in after failures on ${tenant}/${r.host}`);
    }
    stories.push(s);
  }
  // Stories that share a signal are one story.
  const merged: Story[] = [];
  for (const s of stories) {
    const into = merged.find((m) => [...s.refs.keys()].some((k) => m.refs.has(k)));
    if (!into) { merged.push(s); continue; }
    for (const [k, r] of s.refs) { into.refs.set(k, r); if (!into.reasons.has(k)) into.reasons.set(k, s.reasons.get(k)!); }
    for (const x of s.addresses) into.addresses.add(x);
    for (const x of s.accounts) into.accounts.add(x);
  }
  if (merged.length === 0) return [];
  const wanted = [...new Set(merged.flatMap((m) => [...m.refs.values()]))];
  const details = new Map((await all(c, `SELECT tenant, host, id, kind, title, band, risk, toUnixTimestamp(first_seen) AS f, toUnixTimestamp(last_seen) AS l,
    mitre, soc2, iso27001 FROM ${latest} WHERE (tenant, host, id) IN (${wanted.map((r) => `(${lit(r.tenant)}, ${lit(r.host)}, ${lit(r.id)})`).join(', ')})`))
    .map((r) => [`${clean(r.tenant)}/${clean(r.host)}/${clean(r.id)}`, r]));
  return merged.map((m) => toFleetIncident(m, details)).filter((i): i is Incident => i !== null)
    .sort((a, b) => b.risk - a.risk || (a.first_seen < b.first_seen ? -1 : 1));
}

function toFleetIncident(m: Story, details: Map<string, Record<string, unknown>>): Incident | null {
  const steps = [...m.refs.keys()].filter((k) => details.has(k)).map((k) => ({ k, d: details.get(k)!, r: m.refs.get(k)! }))
    .sort((a, b) => Number(a.d.f) - Number(b.d.f) || (a.k < b.k ? -1 : 1));
  if (steps.length < 2) return null;
  const iso = (secs: unknown): string => new Date(Number(secs) * 1000).toISOString();
  const hosts = [...new Set(steps.map((x) => `${x.r.tenant}/${x.r.host}`))].sort();
  const risk = Math.round(Math.min(1, Math.max(...steps.map((x) => Number(x.d.risk))) + 0.05 * (hosts.length - 1)) * 100) / 100;
  const band: Band = bandOf(risk);
  const addrs = [...m.addresses].sort();
  const accts = [...m.accounts].sort();
  const first = steps[0]!;
  const set = (f: string): string[] => [...new Set(steps.flatMap((x) => (Array.isArray(x.d[f]) ? (x.d[f] as unknown[]).map(clean) : [])))].sort();
  return {
    id: incidentId('fleet', first.k),
    scope: 'fleet',
    title: `Likely intrusion across ${hosts.length} hosts${addrs.length ? ` from ${addrs.join(', ')}` : ''}${accts.length ? `: ${accts.join(', ')}` : ''}`,
    hosts,
    first_seen: iso(first.d.f),
    last_seen: iso(Math.max(...steps.map((x) => Number(x.d.l)))),
    signals: steps.map((x) => x.k),
    entities: { addresses: addrs, accounts: accts },
    timeline: steps.map((x) => ({ time: iso(x.d.f), signal_id: x.k, host: `${x.r.tenant}/${x.r.host}`,
      tactic: x.d.kind === 'ssh-success-after-failures' || x.d.kind === 'remote-login' ? 'initial-access' as const : 'privilege-escalation' as const,
      description: clean(x.d.title) })),
    links: steps.map((x, i) => ({ signal_id: x.k, linked_to: i === 0 ? null : first.k, reason: m.reasons.get(x.k)! })),
    tactics: ['initial-access'],
    risk, band, action_required: band === 'high' || band === 'medium',
    explanation: `${addrs.length ? addrs.join(', ') : 'The same account'} got in on ${hosts.join(', ')}${accts.length ? ` (${accts.join(', ')})` : ''}, `
      + `at least once after repeated failures. The same source on several hosts is one incident: each host's own story is a part of it.`,
    recommended_action: `Block ${addrs.length ? addrs.join(', ') : 'the addresses these logins came from'} at the edge for every host, `
      + `lock ${accts.length ? accts.join(', ') : 'the accounts that got in'} on ${hosts.join(', ')}, then review each host's own incident from its first login.`,
    suppressed: false,
    mitre: set('mitre'), soc2: set('soc2'), iso27001: set('iso27001'),
  };
}
