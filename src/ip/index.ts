/**
 * IP addresses, their one home (STYLE.md: a protocol floor under the capabilities): parsing text, the canonical
 * text of RFC 5952, IPv4-mapped addresses, CIDR ranges and sets, reverse names, and the special-purpose address
 * registries (RFC 6890). Pure: it imports nothing of ours and no I/O module. Each export carries its TSDoc where
 * it is declared.
 */
export { parseIpv4, parseIpv6, parseIp, isIpv4Mapped, unmapped, sameIp } from './address.ts';
export type { IpAddress } from './address.ts';
export { formatIp, readIp, normaliseIp, formatAddressLiteral } from './address-text.ts';
export type { IpText } from './address-text.ts';
export { parseCidr, cidrContains, networkAddress, cidrBounds, CidrSet, cidrList } from './cidr.ts';
export type { Cidr } from './cidr.ts';
export { reverseName, nibbles } from './reverse-name.ts';
export {
  specialPurposeAddress,
  specialPurposeReason,
  specialPurposeBlock,
  specialPurposeBlocks,
} from './special-purpose.ts';
export type { SpecialPurposeBlock } from './special-purpose.ts';
