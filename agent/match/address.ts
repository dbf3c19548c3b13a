// agent/match/address.ts: one convention for the remote address of every event, applied once after capture
// (rules capture what the program wrote; this decides what it is):
// - an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is the IPv4 address;
// - an IPv6 zone (`fe80::1%eth0`) and brackets (`[2001:db8::1]`) are dropped, IPv6 is lower-cased;
// - a host name (UseDNS, `rhost=www.example.com`) is `src_host`, never `src_ip`;
// - placeholders that name no peer (`UNKNOWN`, `?`, `-`) are dropped.
import { isIPv4, isIPv6 } from 'node:net';
import type { EventFields } from '../model.js';

const PLACEHOLDERS = new Set(['UNKNOWN', 'unknown', '<unknown>', '?', '-', '(null)', 'none']);

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const DOTTED_QUAD = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** A dotted-quad IPv4 address (no leading zeros): the common case, on every event; a regex runs as native code. */
export function isDottedQuad(s: string): boolean {
  return DOTTED_QUAD.test(s);
}

export type Address = { ip: string } | { host: string } | null;

/** What a captured address is: an IP in canonical form, a host name, or nothing. */
export function classifyAddress(raw: string): Address {
  let v = raw;
  if (isDottedQuad(v)) return { ip: v };
  if (v.charCodeAt(0) === 91 && v.endsWith(']')) v = v.slice(1, -1);
  if (v.includes(':')) {
    const pct = v.indexOf('%');
    if (pct > 0) v = v.slice(0, pct);
    v = v.toLowerCase();
    if (v.startsWith('::ffff:')) {
      const tail = v.slice(7);
      if (isIPv4(tail)) return { ip: tail };
    }
    if (isIPv6(v)) return { ip: v };
  }
  if (isIPv4(v)) return { ip: v };
  if (PLACEHOLDERS.has(v) || v.length === 0) return null;
  // Host names are case-insensitive; a trailing dot (FQDN) names the same host.
  const host = v.toLowerCase();
  return { host: host.endsWith('.') && host.length > 1 ? host.slice(0, -1) : host };
}

/** Rewrites `src_ip`/`src_host` of captured fields in place, by the convention above. */
export function normaliseAddresses(fields: EventFields): void {
  const ip = fields.src_ip;
  const host = fields.src_host;
  if (host === undefined && ip !== undefined && isDottedQuad(ip)) return; // the common case: nothing to change
  if (ip !== undefined) {
    const a = classifyAddress(ip);
    if (a !== null && 'ip' in a) {
      if (a.ip !== ip) fields.src_ip = a.ip;
    } else {
      delete fields.src_ip;
      if (a !== null && host === undefined) fields.src_host = a.host;
    }
  }
  if (host !== undefined) {
    const a = classifyAddress(host);
    if (a === null) delete fields.src_host;
    else if ('ip' in a) {
      delete fields.src_host;
      if (fields.src_ip === undefined) fields.src_ip = a.ip;
    } else if (a.host !== host) fields.src_host = a.host;
  }
}

/** The identity of an event's remote peer: its address, else its host name. */
export function sourceOf(fields: EventFields): string | undefined {
  return fields.src_ip ?? fields.src_host;
}
