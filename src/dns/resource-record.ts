import { parseIpv4, parseIpv6 } from '../ip/index.ts';
import { RRType } from '../dns-wire/index.ts';
import type { WireWriter } from './wire-writer.ts';

/**
 * Resource records as the zone holds them: lower-case dotted owner names without the trailing dot, class IN
 * only, and RDATA as data (RFC 1035 §3.3). Names inside RDATA are absolute, also without the trailing dot.
 */
export type Rdata =
  | { readonly type: 'A'; readonly address: string }
  | { readonly type: 'AAAA'; readonly address: string }
  | { readonly type: 'NS'; readonly host: string }
  | { readonly type: 'CNAME'; readonly target: string }
  | { readonly type: 'MX'; readonly preference: number; readonly exchange: string }
  /** Character-strings of at most 255 octets each (RFC 1035 §3.3.14); receivers join them. */
  | { readonly type: 'TXT'; readonly strings: readonly string[] }
  | {
      readonly type: 'SOA';
      readonly mname: string;
      readonly rname: string;
      readonly serial: number;
      readonly refresh: number;
      readonly retry: number;
      readonly expire: number;
      readonly minimum: number;
    };

export interface ResourceRecord {
  readonly name: string;
  readonly ttl: number;
  readonly data: Rdata;
}

export function typeCode(data: Rdata): number {
  return RRType[data.type];
}

/** Writes TYPE, CLASS, TTL, RDLENGTH and RDATA (the owner name is the caller's). */
export function writeRecordTail(w: WireWriter, rr: ResourceRecord, compressRdata = true): void {
  w.u16(typeCode(rr.data)).u16(1).u32(rr.ttl);
  const lengthAt = w.length;
  w.u16(0);
  const start = w.length;
  writeRdata(w, rr.data, compressRdata);
  w.patchU16(lengthAt, w.length - start);
}

/** Writes a whole record, its owner compressed against what the writer knows. */
export function writeRecord(w: WireWriter, rr: ResourceRecord, compressRdata = true): void {
  w.name(rr.name);
  writeRecordTail(w, rr, compressRdata);
}

function writeRdata(w: WireWriter, data: Rdata, compress: boolean): void {
  switch (data.type) {
    case 'A':
      w.bytes(ipv4Bytes(data.address));
      return;
    case 'AAAA':
      w.bytes(ipv6Bytes(data.address));
      return;
    case 'NS':
      w.name(data.host, compress);
      return;
    case 'CNAME':
      w.name(data.target, compress);
      return;
    case 'MX':
      w.u16(data.preference).name(data.exchange, compress);
      return;
    case 'TXT':
      for (const s of data.strings) {
        const bytes = Buffer.from(s, 'utf8');
        if (bytes.length > 255) throw new Error('TXT character-string over 255 octets');
        w.u8(bytes.length).bytes(bytes);
      }
      return;
    case 'SOA':
      w.name(data.mname, compress).name(data.rname, compress);
      w.u32(data.serial).u32(data.refresh).u32(data.retry).u32(data.expire).u32(data.minimum);
      return;
  }
}

/** The 4 RDATA bytes of an A record (RFC 1035 §3.4.1); throws unless `address` is dotted-decimal IPv4. */
export function ipv4Bytes(address: string): Buffer {
  const ip = parseIpv4(address);
  if (ip === null) throw new Error(`not an IPv4 address: ${address}`);
  return Buffer.from(ip.bytes);
}

/** The 16 RDATA bytes of an AAAA record (RFC 3596 §2.2); throws unless `address` is IPv6 text with no zone. */
export function ipv6Bytes(address: string): Buffer {
  const ip = parseIpv6(address);
  if (ip === null || ip.zone !== undefined) throw new Error(`not an IPv6 address: ${address}`);
  return Buffer.from(ip.bytes);
}

/** Presentation form of RDATA for zone files (RFC 1035 §5.1): absolute names end with a dot. */
export function rdataText(data: Rdata): string {
  switch (data.type) {
    case 'A':
    case 'AAAA':
      return data.address;
    case 'NS':
      return `${data.host}.`;
    case 'CNAME':
      return `${data.target}.`;
    case 'MX':
      return `${data.preference} ${data.exchange}.`;
    case 'TXT':
      return data.strings.map(presentCharacterString).join(' ');
    case 'SOA':
      return `${data.mname}. ${data.rname}. ${data.serial} ${data.refresh} ${data.retry} ${data.expire} ${data.minimum}`;
  }
}

/**
 * A canonical string of the RDATA, equal for equal records: names compare case-insensitively and addresses by
 * value (RFC 2181 §5: an RRset holds no duplicates).
 */
export function rdataIdentity(data: Rdata): string {
  switch (data.type) {
    case 'A':
      return ipv4Bytes(data.address).toString('hex');
    case 'AAAA':
      return ipv6Bytes(data.address).toString('hex');
    case 'TXT':
      return JSON.stringify(data.strings);
    case 'NS':
    case 'CNAME':
    case 'MX':
    case 'SOA':
      return rdataText(data).toLowerCase();
  }
}

/**
 * A character-string in zone-file form (RFC 1035 §5.1): quoted, `"` and backslash escaped, and every octet outside
 * printable ASCII written as `\DDD`, so the file is plain ASCII whatever the text holds.
 */
export function presentCharacterString(text: string): string {
  return presentCharacterBytes(Buffer.from(text, 'utf8'));
}

/** The same for the octets of a character-string as they are on the wire. */
export function presentCharacterBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const byte of bytes) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${String(byte).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return out + '"';
}
