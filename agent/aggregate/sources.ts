// agent/aggregate/sources.ts: how signals name the remote peer of their events (Event.src: the address when
// there is one, else the host name, set by the matcher). An address is src_ip and a host name src_host,
// never one as the other.
import { isIP } from 'node:net';
import type { SignalDraft } from '../model.js';

type Entities = SignalDraft['entities'];

/** `{ src_ip }` for an address, `{ src_host }` for a host name. */
export function sourceEntity(source: string): Entities {
  return isIP(source) !== 0 ? { src_ip: source } : { src_host: source };
}

/** `{ src_ips }`, plus `{ src_hosts }` when some sources are host names. */
export function sourceLists(sources: readonly string[]): Entities {
  const ips = sources.filter((s) => isIP(s) !== 0);
  if (ips.length === sources.length) return { src_ips: [...sources] };
  return { src_ips: ips, src_hosts: sources.filter((s) => isIP(s) === 0) };
}

/** Addresses and host names of a list, in order. */
export function splitSources(sources: readonly string[]): { ips: string[]; hosts: string[] } {
  return { ips: sources.filter((s) => isIP(s) !== 0), hosts: sources.filter((s) => isIP(s) === 0) };
}

/** Entries keyed by source, split into addresses and host names, in order. */
export function splitListed<T>(list: ReadonlyArray<[string, T]>): { ips: Array<[string, T]>; hosts: Array<[string, T]> } {
  return { ips: list.filter(([s]) => isIP(s) !== 0), hosts: list.filter(([s]) => isIP(s) === 0) };
}
