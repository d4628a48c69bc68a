/**
 * Numbers of the DNS wire format: RR types and classes (RFC 1035 §3.2.2–3.2.4, RFC 3596, RFC 6891),
 * opcodes and RCODEs (RFC 1035 §4.1.1, RFC 1996, RFC 6891 §9), and the header flag bits.
 */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  OPT: 41,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
} as const;

export const RRClass = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 } as const;

export const Opcode = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  /** RFC 8945 §5.2: every TSIG failure (the TSIG Error field says which). */
  NOTAUTH: 9,
  /** Extended RCODE 16 (RFC 6891 §9): the upper 8 bits travel in the OPT record's TTL. */
  BADVERS: 16,
} as const;

/** The names of the 4-bit header RCODEs: RFC 1035 §4.1.1, RFC 2136 §2.2 (YXDOMAIN to NOTZONE), RFC 8945 §3. */
const RCODE_NAMES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
];

/** The name of a header RCODE (0-15), or `RCODE<n>` for one without a name. */
export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

/** Header flags in the 16-bit word at offset 2 (RFC 1035 §4.1.1, RFC 4035 §3.2 for AD/CD). */
export const Flag = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  AD: 0x0020,
  CD: 0x0010,
} as const;

/** The record types this server serves data for, by number, for names and zone files. */
export type ServedType = 'A' | 'NS' | 'CNAME' | 'SOA' | 'MX' | 'TXT' | 'AAAA';

const TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(RRType).map(([name, code]) => [code, name]),
);

/** `TXT` for 16, `TYPE65` for a type we have no mnemonic for (RFC 3597 §5). */
export function typeName(code: number): string {
  return TYPE_NAMES[code] ?? `TYPE${code}`;
}

export const HEADER_LENGTH = 12;
/** RFC 1035 §4.2.1: without EDNS a UDP message carries at most 512 octets. */
export const CLASSIC_UDP_SIZE = 512;
/** RFC 1035 §3.1: a name is at most 255 octets on the wire; a label at most 63. */
export const MAX_NAME_WIRE = 255;
export const MAX_LABEL = 63;
