/**
 * IP addresses read from text: the one parser every folder uses, so an address means the same thing to the DNS
 * server, the gateway, SPF and the report parsers. Pure: no `node:net`, so it runs the same in every layer.
 */

/** An IP address as its bytes in network order (4 for IPv4, 16 for IPv6), as it was written. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
  /**
   * The zone index of a scoped IPv6 address (`fe80::1%eth0`, RFC 4007 §11): it picks an interface and is no part
   * of the address, so nothing here compares or prints it. It is kept so that a caller that must refuse it can.
   */
  readonly zone?: string;
}

/**
 * Dotted-decimal IPv4 (four parts of 0–255). A part with a leading zero is refused: "010" is octal to inet_aton
 * and decimal to others, so one text would name two hosts (RFC 6943 §3.1.1).
 */
export function parseIpv4(text: string): IpAddress | null {
  const bytes = ipv4Bytes(text, 0, text.length);
  return bytes === null ? null : { family: 4, bytes };
}

/**
 * IPv6 in the text forms of RFC 4291 §2.2: eight groups of up to four hex digits (any case), at most one `::`
 * standing for one or more zero groups, optionally ending in a dotted IPv4 address for the last 32 bits, and
 * optionally followed by a zone index (`%eth0`, RFC 4007 §11.2). An IPv4-mapped address stays IPv6 here; see
 * `unmapped`.
 */
export function parseIpv6(text: string): IpAddress | null {
  let end = text.length;
  let zone: string | undefined;
  const percent = text.indexOf('%');
  if (percent >= 0) {
    zone = text.slice(percent + 1);
    if (zone === '' || /[\s%]/.test(zone)) return null;
    end = percent;
  }
  const words: number[] = [];
  let gap = -1;
  let i = 0;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
  } else if (text.charCodeAt(0) === 0x3a) return null;
  while (i < end) {
    let j = i;
    let value = 0;
    while (j < end && j - i < 5) {
      const digit = hexDigit(text.charCodeAt(j));
      if (digit < 0) break;
      value = value * 16 + digit;
      j++;
    }
    if (j < end && text.charCodeAt(j) === 0x2e) {
      // RFC 4291 §2.2 form 3: a dotted IPv4 tail takes the last two groups.
      const tail = ipv4Bytes(text, i, end);
      if (tail === null || words.length > 6) return null;
      words.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!);
      break;
    }
    if (j === i || j - i > 4) return null;
    words.push(value);
    if (j === end) break;
    if (text.charCodeAt(j) !== 0x3a) return null;
    if (text.charCodeAt(j + 1) === 0x3a) {
      if (gap >= 0) return null;
      gap = words.length;
      i = j + 2;
    } else {
      i = j + 1;
      if (i === end) return null;
    }
  }
  if (gap < 0 ? words.length !== 8 : words.length > 7) return null;
  const bytes = new Uint8Array(16);
  const zeros = 8 - words.length;
  for (let w = 0, out = 0; w < words.length; w++, out++) {
    if (w === gap) out += zeros;
    bytes[out * 2] = words[w]! >> 8;
    bytes[out * 2 + 1] = words[w]! & 0xff;
  }
  return zone === undefined ? { family: 6, bytes } : { family: 6, bytes, zone };
}

/** An IPv4 or IPv6 address written exactly (no brackets, no spaces); null if `text` is not one. */
export function parseIp(text: string): IpAddress | null {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** Whether an IPv6 address is IPv4-mapped, ::ffff:0:0/96 (RFC 4291 §2.5.5.2). */
export function isIpv4Mapped(ip: IpAddress): boolean {
  if (ip.family !== 6) return false;
  const b = ip.bytes;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/**
 * The address a peer stands for: an IPv4-mapped IPv6 address (what a dual-stack socket reports for an IPv4
 * client) is the IPv4 address it carries; any other address is itself. This is the one rule for mapped
 * addresses: SPF (RFC 7208 §5), the relay and transfer lists, rate limits, the reports and the address filters
 * all see `::ffff:192.0.2.1` as 192.0.2.1.
 */
export function unmapped(ip: IpAddress): IpAddress {
  return isIpv4Mapped(ip) ? { family: 4, bytes: ip.bytes.slice(12) } : ip;
}

/** Whether two addresses are the same address (zone indexes aside). */
export function sameIp(a: IpAddress, b: IpAddress): boolean {
  if (a.family !== b.family) return false;
  for (let i = 0; i < a.bytes.length; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  return true;
}

function ipv4Bytes(text: string, start: number, end: number): Uint8Array | null {
  const out = new Uint8Array(4);
  let part = 0;
  let digits = 0;
  let value = 0;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 0x2e : text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || part > 3) return null;
      out[part++] = value;
      digits = 0;
      value = 0;
      continue;
    }
    const d = c - 0x30;
    if (d < 0 || d > 9 || (digits === 1 && value === 0)) return null;
    value = value * 10 + d;
    if (++digits > 3 || value > 255) return null;
  }
  return part === 4 ? out : null;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}
