import { parseIp, type IpAddress } from './address.ts';

/**
 * Address ranges in CIDR notation (RFC 4632 §3.1, RFC 4291 §2.3) and sets of them: the relay networks, the zone
 * transfer list, the platform's egress ranges, known forwarders and the special-purpose registries.
 */

export interface Cidr {
  readonly address: IpAddress;
  /** Leading bits that count: 0–32 for IPv4, 0–128 for IPv6. */
  readonly prefix: number;
}

/**
 * `192.0.2.0/24`, `2001:db8::/32`, or a bare address (all its bits count). Host bits may be set
 * (`192.0.2.7/24` is 192.0.2.0/24), as inet_pton-based lists and `node:net` BlockList accept them. No zone index.
 */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (address === null || address.zone !== undefined) return null;
  const max = address.family === 4 ? 32 : 128;
  if (slash < 0) return { address, prefix: max };
  const digits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(digits)) return null;
  const prefix = Number(digits);
  return prefix > max ? null : { address, prefix };
}

/** Whether `ip` is in the range; an address of the other family never is (see `CidrSet` for mapped ones). */
export function cidrContains(range: Cidr, ip: IpAddress): boolean {
  return ip.family === range.address.family && samePrefix(range.address.bytes, ip.bytes, range.prefix);
}

/** The first `prefix` bits of the address, the rest cleared: the network it is in. */
export function networkAddress(ip: IpAddress, prefix: number): IpAddress {
  const bytes = new Uint8Array(ip.bytes.length);
  for (let i = 0, bits = prefix; i < bytes.length && bits > 0; i++, bits -= 8)
    bytes[i] = ip.bytes[i]! & (bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff);
  return { family: ip.family, bytes };
}

/** The lowest and highest address of the range. */
export function cidrBounds(range: Cidr): readonly [IpAddress, IpAddress] {
  const first = networkAddress(range.address, range.prefix);
  const last = new Uint8Array(first.bytes);
  for (let i = 0, bits = range.prefix; i < last.length; i++, bits -= 8)
    if (bits < 8) last[i]! |= 0xff >> Math.max(0, bits);
  return [first, { family: first.family, bytes: last }];
}

interface Member<T> {
  /** The range in the IPv6 space: an IPv4 range as its IPv4-mapped block. */
  readonly bytes: Uint8Array;
  readonly prefix: number;
  readonly value: T;
}

interface Ipv4Member<T> {
  readonly network: number;
  readonly mask: number;
  readonly value: T;
}

/**
 * A set of ranges, each with a value, asked "which range holds this address?". IPv4 is compared as the
 * IPv4-mapped block of IPv6 (RFC 4291 §2.5.5.2): `::ffff:10.0.0.1` is in 10.0.0.0/8, 10.0.0.1 is in
 * ::ffff:10.0.0.0/104 and in ::/0, as with `node:net` BlockList. The most specific range wins.
 */
export class CidrSet<T> {
  /** Ranges inside ::ffff:0:0/96, as 32-bit IPv4 networks: an IPv4 address is tested against these first. */
  readonly #ipv4: Ipv4Member<T>[] = [];
  /** Every other range, in the IPv6 space. */
  readonly #ipv6: Member<T>[] = [];

  constructor(entries: Iterable<readonly [Cidr, T]>) {
    for (const [range, value] of entries) {
      const bytes = inV6Space(range.address);
      const prefix = range.prefix + (range.address.family === 4 ? 96 : 0);
      if (prefix >= 96 && samePrefix(bytes, MAPPED, 96)) {
        const bits = prefix - 96;
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        this.#ipv4.push({ network: (word(bytes, 12) & mask) >>> 0, mask, value });
      } else this.#ipv6.push({ bytes, prefix, value });
    }
    this.#ipv4.sort((a, b) => b.mask - a.mask);
    this.#ipv6.sort((a, b) => b.prefix - a.prefix);
  }

  /** The value of the most specific range holding `ip`, or undefined. */
  lookup(ip: IpAddress): T | undefined {
    const b = ip.bytes;
    const ipv4 = ip.family === 4 ? word(b, 0) : samePrefix(b, MAPPED, 96) ? word(b, 12) : -1;
    // Every IPv4 range is more specific than any IPv6 range that also holds an IPv4 address (those end before /96).
    if (ipv4 >= 0) for (const m of this.#ipv4) if ((ipv4 & m.mask) >>> 0 === m.network) return m.value;
    if (this.#ipv6.length === 0) return undefined;
    const bytes = inV6Space(ip);
    for (const m of this.#ipv6) if (samePrefix(m.bytes, bytes, m.prefix)) return m.value;
    return undefined;
  }

  /** Whether any range holds `ip`. */
  has(ip: IpAddress): boolean {
    return this.lookup(ip) !== undefined;
  }

  /** How many ranges the set holds. */
  get size(): number {
    return this.#ipv4.length + this.#ipv6.length;
  }
}

const MAPPED = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0]);

function word(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** A membership test over ranges written as text (`parseCidr`); an entry that is not a range is an error. */
export function cidrList(entries: readonly string[]): CidrSet<true> {
  return new CidrSet(
    entries.map((text) => {
      const range = parseCidr(text);
      if (range === null) throw new Error(`not an address or CIDR range: ${text}`);
      return [range, true] as const;
    }),
  );
}

function inV6Space(ip: IpAddress): Uint8Array {
  if (ip.family === 6) return ip.bytes;
  const bytes = new Uint8Array(16);
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  bytes.set(ip.bytes, 12);
  return bytes;
}

function samePrefix(a: Uint8Array, b: Uint8Array, prefix: number): boolean {
  let i = 0;
  let bits = prefix;
  for (; bits >= 8; i++, bits -= 8) if (a[i] !== b[i]) return false;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return (a[i]! & mask) === (b[i]! & mask);
}
