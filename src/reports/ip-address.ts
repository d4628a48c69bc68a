/**
 * IP addresses as they appear in reports: parsed without `node:net` (the core stays free of I/O modules),
 * normalised once (IPv6 per RFC 5952 §4, IPv4-mapped IPv6 to IPv4) and matched against CIDR ranges.
 */

/** An address in its canonical text form (RFC 5952 for IPv6, dotted quad for IPv4). */
export type IpAddress = string & { readonly __ip: unique symbol };

export interface ParsedIp {
  readonly version: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    // No leading zeros: "010" is octal to some parsers and decimal to others, so it is refused.
    if (p.length === 0 || p.length > 3 || (p.length > 1 && p.charCodeAt(0) === 48)) return null;
    let v = 0;
    for (let j = 0; j < p.length; j++) {
      const c = p.charCodeAt(j) - 48;
      if (c < 0 || c > 9) return null;
      v = v * 10 + c;
    }
    if (v > 255) return null;
    out[i] = v;
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | null {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  let tail: Uint8Array | null = null;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
    tail = parseIpv4(s.slice(lastColon + 1));
    if (tail === null) return null;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const group = (part: string) => (part === '' ? [] : part.split(':'));
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = groups[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  }
  if (tail !== null) out.set(tail, 12);
  return out;
}

/** Parses an IPv4 or IPv6 address (brackets and surrounding space allowed); null if it is not one. */
export function parseIp(text: string): ParsedIp | null {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (s.startsWith('IPv6:') || s.startsWith('ipv6:')) s = s.slice(5);
  if (s.includes(':')) {
    const bytes = parseIpv6(s);
    if (bytes === null) return null;
    // ::ffff:a.b.c.d is an IPv4 sender seen through a dual-stack socket: count it as that IPv4 address.
    const mapped = bytes.subarray(0, 12).every((b, i) => (i < 10 ? b === 0 : b === 0xff));
    return mapped ? { version: 4, bytes: bytes.slice(12) } : { version: 6, bytes };
  }
  const bytes = parseIpv4(s);
  return bytes === null ? null : { version: 4, bytes };
}

/** RFC 5952 §4: lower case, no leading zeros, the longest run (≥ 2) of zero groups as "::", first on a tie. */
export function formatIp(ip: ParsedIp): IpAddress {
  if (ip.version === 4) return Array.from(ip.bytes).join('.') as IpAddress;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':') as IpAddress;
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}` as IpAddress;
}

/** The canonical form of an address, or null if `text` is not an address. */
export function normaliseIp(text: string): IpAddress | null {
  // Fast path for the common case: a plain dotted quad without leading zeros is already canonical.
  const v4 = parseIpv4(text);
  if (v4 !== null) return text as IpAddress;
  const ip = parseIp(text);
  return ip === null ? null : formatIp(ip);
}

export interface CidrRange {
  readonly ip: ParsedIp;
  readonly prefix: number;
}

/** Parses "192.0.2.0/24", "2001:db8::/32" or a single address (a full-length prefix). */
export function parseCidr(text: string): CidrRange | null {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (ip === null) return null;
  const max = ip.version === 4 ? 32 : 128;
  if (slash < 0) return { ip, prefix: max };
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix > max ? null : { ip, prefix };
}

export function cidrContains(range: CidrRange, ip: ParsedIp): boolean {
  if (range.ip.version !== ip.version) return false;
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((range.ip.bytes[i]! & mask) !== (ip.bytes[i]! & mask)) return false;
  }
  return true;
}

/** The name under in-addr.arpa or ip6.arpa for a PTR query (RFC 1035 §3.5, RFC 3596 §2.5). */
export function reverseName(ip: ParsedIp): string {
  if (ip.version === 4) return `${Array.from(ip.bytes).reverse().join('.')}.in-addr.arpa`;
  const nibbles: string[] = [];
  for (const b of ip.bytes) nibbles.push((b >> 4).toString(16), (b & 15).toString(16));
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}
