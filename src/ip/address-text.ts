import { isIpv4Mapped, parseIp, parseIpv4, unmapped, type IpAddress } from './address.ts';

/**
 * Addresses written out: the canonical text of RFC 5952 (so one address is one string, fit for storage keys and
 * comparisons), the address literals of RFC 5321, and the tolerant reading of addresses others wrote.
 */

/** An address in its canonical text: dotted decimal for IPv4, RFC 5952 for IPv6. */
export type IpText = string & { readonly __ipText: unique symbol };

/**
 * RFC 5952 §4: lower case, no leading zeros, the longest run of two or more zero groups as `::` (the first of
 * equal runs), a single zero group written `0`. §5: an IPv4-mapped address ends in dotted decimal
 * (`::ffff:192.0.2.1`). The zone index is not written.
 */
export function formatIp(ip: IpAddress): IpText {
  const b = ip.bytes;
  if (ip.family === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}` as IpText;
  if (isIpv4Mapped(ip)) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}` as IpText;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
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
  if (bestStart < 0) return hex.join(':') as IpText;
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}` as IpText;
}

/**
 * An address as people, mail headers and reports write it: surrounding space, brackets (`[2001:db8::1]`), the
 * RFC 5321 `IPv6:` tag (`[IPv6:2001:db8::1]`) and a zone index are allowed. Null if no address is there.
 */
export function readIp(text: string): IpAddress | null {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  // RFC 5321 §4.1.3: the tag is an ABNF string, so any case (RFC 5234 §2.3).
  if (/^ipv6:/i.test(s)) s = s.slice(5);
  return parseIp(s);
}

/**
 * The canonical text of an address read with `readIp`, IPv4-mapped addresses as the IPv4 address they carry;
 * null if `text` holds no address. A plain dotted quad, the common case in reports, comes back as it is.
 */
export function normaliseIp(text: string): IpText | null {
  if (parseIpv4(text) !== null) return text as IpText;
  const ip = readIp(text);
  return ip === null ? null : formatIp(unmapped(ip));
}

/**
 * The RFC 5321 §4.1.3 address literal of an address: `[192.0.2.1]`, `[IPv6:2001:db8::1]`. An IPv4-mapped address
 * is the IPv4 client it stands for; a zone index has no place in the literal's syntax and is left out.
 */
export function formatAddressLiteral(ip: IpAddress): string {
  const plain = unmapped(ip);
  return plain.family === 4 ? `[${formatIp(plain)}]` : `[IPv6:${formatIp(plain)}]`;
}
