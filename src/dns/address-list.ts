import { cidrList, parseIp } from '../ip/index.ts';

/**
 * A test of membership in a list of addresses and CIDR ranges (the config's dns.secondaries). A dual-stack socket
 * reports IPv4 clients as IPv4-mapped IPv6 addresses; the set takes them as the IPv4 address they carry.
 */
export function addressList(entries: readonly string[]): (address: string) => boolean {
  const list = cidrList(entries);
  return (client) => {
    const ip = parseIp(client);
    return ip !== null && list.has(ip);
  };
}
