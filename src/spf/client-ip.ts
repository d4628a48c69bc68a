import { nibbles, parseIp, unmapped, type IpAddress } from '../ip/index.ts';

/**
 * A client address as check_host() sees it: an IPv4-mapped IPv6 address is the IPv4 address it carries (RFC 7208
 * §5, last paragraph: "IPv4-mapped IPv6 addresses ... MUST be treated as IPv4"). A zone index is not an address.
 */
export function parseClientIp(text: string): IpAddress | null {
  const ip = parseIp(text);
  return ip === null || ip.zone !== undefined ? null : unmapped(ip);
}

/**
 * Dotted decimal for IPv4; for IPv6 the 32 nibbles separated by dots, as %{i} wants (RFC 7208 §7.3). The
 * nibbles are upper case, as in the RFC's own example (§7.4: "1.0.B.C.0.0…"); DNS lookups ignore case anyway.
 */
export function dottedIp(ip: IpAddress): string {
  if (ip.family === 4) return [...ip.bytes].join('.');
  return nibbles(ip).join('.').toUpperCase();
}
