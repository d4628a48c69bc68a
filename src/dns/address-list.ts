import { BlockList, isIPv6 } from 'node:net';

/** A test of membership in a list of addresses and CIDR ranges (the config's dns.secondaries). */
export function addressList(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (client) => {
    // A dual-stack socket reports IPv4 clients as IPv4-mapped IPv6 addresses.
    const plain = client.startsWith('::ffff:') && client.includes('.') ? client.slice(7) : client;
    return list.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
  };
}
