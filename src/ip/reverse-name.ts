import type { IpAddress } from './address.ts';

/**
 * The names under which the DNS maps addresses back to names: `in-addr.arpa` for IPv4 (RFC 1035 §3.5) and
 * `ip6.arpa` for IPv6 (RFC 3596 §2.5), both with the address's parts in reverse order.
 */

/** The 32 hex digits (nibbles) of an IPv6 address, or the 8 of an IPv4 one, most significant first, lower case. */
export function nibbles(ip: IpAddress): string[] {
  const out: string[] = [];
  for (const b of ip.bytes) out.push((b >> 4).toString(16), (b & 15).toString(16));
  return out;
}

/**
 * The PTR owner name of an address, without the trailing dot: `1.2.0.192.in-addr.arpa`,
 * `1.0.0.0…8.b.d.0.1.0.0.2.ip6.arpa`. The address is taken as it is: unmap an IPv4-mapped one first if it
 * stands for an IPv4 host.
 */
export function reverseName(ip: IpAddress): string {
  if (ip.family === 4) return `${[...ip.bytes].reverse().join('.')}.in-addr.arpa`;
  return `${nibbles(ip).reverse().join('.')}.ip6.arpa`;
}
