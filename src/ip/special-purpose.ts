import { parseIp, unmapped, type IpAddress } from './address.ts';
import { formatIp } from './address-text.ts';
import { CidrSet, parseCidr } from './cidr.ts';

/**
 * Addresses that are not ordinary public unicast: the IANA Special-Purpose Address Registries that RFC 6890
 * created (updated by RFC 8190), both families, plus multicast and the IPv6 space IANA has not opened for global
 * unicast. The webhook filter and the gateway's MX filter both judge destinations by this one list, so that a
 * tenant cannot make senderd connect into the operator's network (server-side request forgery).
 *
 * Sources, as IANA lists them (registries last seen: IPv4 special-purpose 2025, IPv6 special-purpose 2025-10):
 * https://www.iana.org/assignments/iana-ipv4-special-registry, .../iana-ipv6-special-registry,
 * .../multicast-addresses (RFC 5771), .../ipv6-address-space (RFC 4291 §2.4).
 */
export interface SpecialPurposeBlock {
  readonly block: string;
  readonly name: string;
  readonly rfc: string;
  /** The registry's "Globally Reachable" column; null where it says N/A, and for blocks outside the registries. */
  readonly globallyReachable: boolean | null;
}

type Row = readonly [block: string, name: string, rfc: string, globallyReachable: boolean | null];

/** IANA IPv4 Special-Purpose Address Registry (RFC 6890 §2.2.2), then IPv4 multicast (RFC 5771). */
const IPV4: readonly Row[] = [
  ['0.0.0.0/8', '"This network"', 'RFC 791 §3.2', false],
  ['0.0.0.0/32', '"This host on this network"', 'RFC 1122 §3.2.1.3', false],
  ['10.0.0.0/8', 'Private-Use', 'RFC 1918', false],
  ['100.64.0.0/10', 'Shared Address Space', 'RFC 6598', false],
  ['127.0.0.0/8', 'Loopback', 'RFC 1122 §3.2.1.3', false],
  ['169.254.0.0/16', 'Link Local', 'RFC 3927', false],
  ['172.16.0.0/12', 'Private-Use', 'RFC 1918', false],
  ['192.0.0.0/24', 'IETF Protocol Assignments', 'RFC 6890 §2.1', false],
  ['192.0.0.0/29', 'IPv4 Service Continuity Prefix', 'RFC 7335', false],
  ['192.0.0.8/32', 'IPv4 dummy address', 'RFC 7600', false],
  ['192.0.0.9/32', 'Port Control Protocol Anycast', 'RFC 7723', true],
  ['192.0.0.10/32', 'Traversal Using Relays around NAT Anycast', 'RFC 8155', true],
  ['192.0.0.170/32', 'NAT64/DNS64 Discovery', 'RFC 8880, RFC 7050 §2.2', false],
  ['192.0.0.171/32', 'NAT64/DNS64 Discovery', 'RFC 8880, RFC 7050 §2.2', false],
  ['192.0.2.0/24', 'Documentation (TEST-NET-1)', 'RFC 5737', false],
  ['192.31.196.0/24', 'AS112-v4', 'RFC 7535', true],
  ['192.52.193.0/24', 'AMT', 'RFC 7450', true],
  ['192.88.99.0/24', 'Deprecated (6to4 Relay Anycast)', 'RFC 7526', null],
  ['192.168.0.0/16', 'Private-Use', 'RFC 1918', false],
  ['192.175.48.0/24', 'Direct Delegation AS112 Service', 'RFC 7534', true],
  ['198.18.0.0/15', 'Benchmarking', 'RFC 2544', false],
  ['198.51.100.0/24', 'Documentation (TEST-NET-2)', 'RFC 5737', false],
  ['203.0.113.0/24', 'Documentation (TEST-NET-3)', 'RFC 5737', false],
  ['240.0.0.0/4', 'Reserved', 'RFC 1112 §4', false],
  ['255.255.255.255/32', 'Limited Broadcast', 'RFC 8190, RFC 919 §7', false],
  ['224.0.0.0/4', 'Multicast', 'RFC 5771', null],
];

/**
 * IANA IPv6 Special-Purpose Address Registry (RFC 6890 §2.2.3), then multicast (RFC 4291 §2.7) and the blocks of
 * the IPv6 Address Space registry outside 2000::/3, the only space IANA assigns for global unicast (RFC 4291 §2.4).
 */
const IPV6: readonly Row[] = [
  ['::1/128', 'Loopback Address', 'RFC 4291', false],
  ['::/128', 'Unspecified Address', 'RFC 4291', false],
  ['::ffff:0:0/96', 'IPv4-mapped Address', 'RFC 4291', false],
  ['64:ff9b::/96', 'IPv4-IPv6 Translat.', 'RFC 6052', true],
  ['64:ff9b:1::/48', 'IPv4-IPv6 Translat.', 'RFC 8215', false],
  ['100::/64', 'Discard-Only Address Block', 'RFC 6666', false],
  ['100:0:0:1::/64', 'Dummy IPv6 Prefix', 'RFC 9780', false],
  ['2001::/23', 'IETF Protocol Assignments', 'RFC 2928', false],
  ['2001::/32', 'TEREDO', 'RFC 4380, RFC 8190', null],
  ['2001:1::1/128', 'Port Control Protocol Anycast', 'RFC 7723', true],
  ['2001:1::2/128', 'Traversal Using Relays around NAT Anycast', 'RFC 8155', true],
  ['2001:1::3/128', 'DNS-SD Service Registration Protocol Anycast', 'RFC 9665', true],
  ['2001:2::/48', 'Benchmarking', 'RFC 5180', false],
  ['2001:3::/32', 'AMT', 'RFC 7450', true],
  ['2001:4:112::/48', 'AS112-v6', 'RFC 7535', true],
  ['2001:10::/28', 'Deprecated (previously ORCHID)', 'RFC 4843', false],
  ['2001:20::/28', 'ORCHIDv2', 'RFC 7343', true],
  ['2001:30::/28', 'Drone Remote ID Protocol Entity Tags (DETs) Prefix', 'RFC 9374', true],
  ['2001:db8::/32', 'Documentation', 'RFC 3849', false],
  ['2002::/16', '6to4', 'RFC 3056', null],
  ['2620:4f:8000::/48', 'Direct Delegation AS112 Service', 'RFC 7534', true],
  ['3fff::/20', 'Documentation', 'RFC 9637', false],
  ['5f00::/16', 'Segment Routing (SRv6) SIDs', 'RFC 9602', false],
  ['fc00::/7', 'Unique-Local', 'RFC 4193, RFC 8190', false],
  ['fe80::/10', 'Link-Local Unicast', 'RFC 4291', false],
  ['ff00::/8', 'Multicast', 'RFC 4291 §2.7', null],
  ...[
    '::/8',
    '100::/8',
    '200::/7',
    '400::/6',
    '800::/5',
    '1000::/4',
    '4000::/3',
    '6000::/3',
    '8000::/3',
    'a000::/3',
    'c000::/3',
    'e000::/4',
    'f000::/5',
    'f800::/6',
    'fe00::/9',
  ].map((block): Row => [block, 'Reserved by IETF (outside global unicast 2000::/3)', 'RFC 4291 §2.4', null]),
  ['fec0::/10', 'Deprecated site-local', 'RFC 3879', null],
];

const blocks = (rows: readonly Row[]) =>
  rows.map(([block, name, rfc, globallyReachable]): SpecialPurposeBlock => ({
    block,
    name,
    rfc,
    globallyReachable,
  }));
const table = (list: readonly SpecialPurposeBlock[]) =>
  new CidrSet<SpecialPurposeBlock>(list.map((b) => [parseCidr(b.block)!, b]));

/** Every block of the list above, IPv4 first, in registry order. */
export const specialPurposeBlocks: readonly SpecialPurposeBlock[] = [...blocks(IPV4), ...blocks(IPV6)];
// Two sets, so that no IPv6 block that holds ::ffff:0:0/96 (::/8, ::ffff:0:0/96 itself) ever swallows IPv4.
const ipv4Blocks = table(blocks(IPV4));
const ipv6Blocks = table(blocks(IPV6));

/** The most specific special-purpose block holding the address (an IPv4-mapped one judged as IPv4), or null. */
export function specialPurposeBlock(ip: IpAddress): SpecialPurposeBlock | null {
  const plain = unmapped(ip);
  return (plain.family === 4 ? ipv4Blocks : ipv6Blocks).lookup(plain) ?? null;
}

/**
 * Why senderd must not connect to `address` for a tenant (the block's name, the block and its RFC), or null when
 * it may, and when `address` is a name, not an address. Every special-purpose block is refused, even those the
 * registry calls globally reachable: they are anycast services (PCP, TURN, AS112, AMT) where no webhook or MX
 * lives, and the nearest PCP or TURN server is inside the operator's own network. One exception: the NAT64
 * well-known prefix 64:ff9b::/96 carries an IPv4 address in its last 32 bits (RFC 6052 §2.2), which is what a
 * NAT64 gateway connects to, so that address is judged instead (RFC 6052 §3.1 forbids it for non-global IPv4).
 */
export function specialPurposeReason(address: string): string | null {
  const ip = parseIp(address);
  if (ip === null) return null;
  const found = specialPurposeBlock(ip);
  if (found === null) return null;
  if (found.block !== '64:ff9b::/96') return describe(found);
  const carried: IpAddress = { family: 4, bytes: ip.bytes.slice(12) };
  const inner = specialPurposeBlock(carried);
  return inner === null ? null : `NAT64 for ${formatIp(carried)}: ${describe(inner)}`;
}

/** `specialPurposeReason` as a sentence: "192.0.2.2 is a private, local or reserved address (…)", or null. */
export function specialPurposeAddress(address: string): string | null {
  const reason = specialPurposeReason(address);
  return reason === null ? null : `${address} is a private, local or reserved address (${reason})`;
}

function describe(b: SpecialPurposeBlock): string {
  return `${b.name}, ${b.block}, ${b.rfc}`;
}
