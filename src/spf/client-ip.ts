import { parseIpv4, parseIpv6 } from '../resolver/index.ts';

/** A client address as check_host() sees it: IPv4-mapped IPv6 is IPv4 (RFC 7208 §5, last paragraph). */
export interface ClientIp {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

export function parseClientIp(text: string): ClientIp | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { family: 4, bytes: v4 };
  const v6 = parseIpv6(text);
  if (v6 === null) return null;
  const mapped = v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? { family: 4, bytes: v6.slice(12) } : { family: 6, bytes: v6 };
}

/** Whether the first `prefix` bits of two addresses of the same length agree. */
export function inNetwork(ip: Uint8Array, network: Uint8Array, prefix: number): boolean {
  if (ip.length !== network.length) return false;
  let bits = prefix;
  for (let i = 0; i < ip.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i]! & mask) !== (network[i]! & mask)) return false;
  }
  return true;
}

/**
 * Dotted decimal for IPv4; for IPv6 the 32 nibbles separated by dots, as %{i} wants (RFC 7208 §7.3). The
 * nibbles are upper case, as in the RFC's own example (§7.4: "1.0.B.C.0.0…"); DNS lookups ignore case anyway.
 */
export function dottedIp(ip: ClientIp): string {
  if (ip.family === 4) return [...ip.bytes].join('.');
  return [...ip.bytes]
    .flatMap((b) => [(b >> 4).toString(16), (b & 15).toString(16)])
    .join('.')
    .toUpperCase();
}

/** The reverse-lookup name (in-addr.arpa / ip6.arpa) of an address. */
export function reverseName(ip: ClientIp): string {
  const dotted = dottedIp(ip).toLowerCase().split('.').reverse().join('.');
  return ip.family === 4 ? `${dotted}.in-addr.arpa` : `${dotted}.ip6.arpa`;
}

/** The usual text form (RFC 5952 compression for IPv6), for %{c}. */
export function presentIp(ip: ClientIp): string {
  if (ip.family === 4) return [...ip.bytes].join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Addresses of the client's family from an answer's records. */
export function sameFamily(ip: ClientIp, address: string): Uint8Array | null {
  return ip.family === 4 ? parseIpv4(address) : parseIpv6(address);
}
