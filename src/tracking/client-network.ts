/**
 * The client address as tracking stores it: truncated to its /24 (IPv4) or /48 (IPv6) network before it is
 * written anywhere (issue 17, privacy), so a stored visit says roughly where from, never which household. An
 * IPv4-mapped IPv6 address counts as IPv4. Text that is no address is stored as ''.
 */
import { formatIp, networkAddress, parseIp, unmapped } from '../ip/index.ts';

export function clientNetwork(address: string): string {
  const parsed = parseIp(address.replace(/%.*$/, ''));
  if (parsed === null) return '';
  const ip = unmapped(parsed);
  const prefix = ip.family === 4 ? 24 : 48;
  return `${formatIp(networkAddress(ip, prefix))}/${prefix}`;
}
