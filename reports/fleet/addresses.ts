// reports/fleet/addresses.ts: what each source address did on each host, from the per-address columns of
// signals_latest (agent/sinks/clickhouse/rows.ts): lines counted once, an outcome per (tenant, host), and
// a verdict per address that separates attackers from the fleet's own shared addresses.
//
// A public address is one address across tenants (an attacker hitting two customers is one attacker); a
// private one (10/8, 192.168/16, …) means a different machine in each tenant's network, so it is scoped to
// its tenant.

export type HostOutcome = 'failed only' | 'succeeded' | 'succeeded after failures';
export type Verdict = 'succeeded after failures' | 'failed everywhere' | 'logged in, never failed' | 'mixed';

export interface AddressRow {
  tenant: string;
  host: string;
  ip: string;
  lines: number;
  outcomes: string[];
  accounts: string[];
  signals: string[];
}

export interface AddressOnHost {
  tenant: string;
  host: string;
  outcome: HostOutcome;
  lines: number;
  /** Accounts that logged in from the address on this host. */
  accounts: string[];
  signal_ids: string[];
}

export interface AddressFacts {
  ip: string;
  /** "public", or the tenant a private address belongs to. */
  scope: string;
  hosts: number;
  lines: number;
  verdict: Verdict;
  per_host: AddressOnHost[];
}

/** RFC 1918, CGNAT, loopback, link-local, and IPv6 ULA, link-local and loopback. */
export function isPrivateAddress(ip: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
      || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
  }
  const v6 = ip.toLowerCase();
  return v6 === '::1' || /^f[cd][0-9a-f]{2}:/.test(v6) || /^fe[89ab][0-9a-f]:/.test(v6);
}

function hostOutcome(outcomes: Set<string>): HostOutcome {
  if (outcomes.has('succeeded-after-failures')) return 'succeeded after failures';
  if (outcomes.has('succeeded')) return 'succeeded';
  return 'failed only';
}

function verdict(per: AddressOnHost[]): Verdict {
  if (per.some((h) => h.outcome === 'succeeded after failures')) return 'succeeded after failures';
  if (per.every((h) => h.outcome === 'failed only')) return 'failed everywhere';
  if (per.every((h) => h.outcome === 'succeeded')) return 'logged in, never failed';
  return 'mixed';
}

const VERDICT_RANK: Record<Verdict, number> = { 'succeeded after failures': 0, mixed: 1, 'failed everywhere': 2, 'logged in, never failed': 3 };
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Groups rows (one per tenant, host, address) by address and scope, with every host's outcome. */
export function addressFacts(rows: AddressRow[]): AddressFacts[] {
  const groups = new Map<string, { ip: string; scope: string; per: Map<string, AddressOnHost & { seen: Set<string> }> }>();
  for (const r of rows) {
    const scope = isPrivateAddress(r.ip) ? r.tenant : 'public';
    const gk = `${scope}\u0001${r.ip}`;
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { ip: r.ip, scope, per: new Map() }));
    const hk = `${r.tenant}\u0001${r.host}`;
    let h = g.per.get(hk);
    if (!h) g.per.set(hk, (h = { tenant: r.tenant, host: r.host, outcome: 'failed only', lines: 0, accounts: [], signal_ids: [], seen: new Set() }));
    h.lines += r.lines;
    for (const o of r.outcomes) h.seen.add(o);
    h.accounts = [...new Set([...h.accounts, ...r.accounts])].sort(byText);
    h.signal_ids = [...new Set([...h.signal_ids, ...r.signals])].sort(byText);
  }
  const out: AddressFacts[] = [];
  for (const g of groups.values()) {
    const per = [...g.per.values()].map(({ seen, ...h }) => ({ ...h, outcome: hostOutcome(seen) }))
      .sort((a, b) => byText(a.tenant, b.tenant) || byText(a.host, b.host));
    out.push({ ip: g.ip, scope: g.scope, hosts: per.length, lines: per.reduce((n, h) => n + h.lines, 0), verdict: verdict(per), per_host: per });
  }
  return out.sort((a, b) => VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] || b.hosts - a.hosts || b.lines - a.lines || byText(a.ip, b.ip));
}
