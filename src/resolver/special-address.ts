import { BlockList, isIP } from 'node:net';

/**
 * Addresses that a tenant's input (a webhook URL, a recipient domain's MX) may not make senderd connect to, unless
 * the operator allows it: otherwise any tenant could make senderd open connections into the operator's own network
 * (server-side request forgery) — its metadata service, its admin ports, an internal relay that trusts senderd.
 * RFC 6890 special-purpose registries, both families.
 */
const forbidden = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // shared address space (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local: cloud metadata services live here
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
] as const) {
  forbidden.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  forbidden.addSubnet(net, prefix, 'ipv6');
}

/** Why an address is not a public one (private, local or reserved), or null when it is public. */
export function specialPurposeAddress(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return null;
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return specialPurposeAddress(mapped[1]!);
  const blocked = forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6');
  return blocked ? `${address} is a private, local or reserved address` : null;
}
