import {
  ipv4Bytes,
  ipv6Bytes,
  presentCharacterBytes,
  typeCode,
  type ResourceRecord,
} from './resource-record.ts';
import { nameToWire, readName, RRType, typeName } from '../dns-wire/index.ts';

/**
 * A record as the zone stores it: the owner as a lower-case dotted name and the RDATA as wire octets (RFC 1035
 * §3.3), names in it uncompressed and lower-cased. Records planned as data (resource-record.ts) become this once,
 * when they enter the zone; records read back out of the pre-encoded answers come out as this; zone transfers,
 * the journal and `zone export` work on it. Two records are the same record exactly when their owner, type and
 * RDATA octets are equal (RFC 2181 §5; names compare case-insensitively, and are folded here).
 */
export interface WireRecord {
  readonly name: string;
  readonly type: number;
  readonly ttl: number;
  readonly rdata: Uint8Array;
}

/** The zone's form of a planned record. Throws when it cannot go on the wire (a bad address or name). */
export function toWireRecord(rr: ResourceRecord): WireRecord {
  const d = rr.data;
  let rdata: Uint8Array;
  switch (d.type) {
    case 'A':
      rdata = ipv4Bytes(d.address);
      break;
    case 'AAAA':
      rdata = ipv6Bytes(d.address);
      break;
    case 'NS':
      rdata = wireOf(d.host);
      break;
    case 'CNAME':
      rdata = wireOf(d.target);
      break;
    case 'MX': {
      const exchange = wireOf(d.exchange);
      rdata = Buffer.allocUnsafe(2 + exchange.length);
      rdata[0] = d.preference >> 8;
      rdata[1] = d.preference & 0xff;
      rdata.set(exchange, 2);
      break;
    }
    case 'TXT':
      rdata = txtRdata(d.strings);
      break;
    case 'SOA': {
      const m = nameToWire(d.mname.toLowerCase());
      const r = nameToWire(d.rname.toLowerCase());
      const b = Buffer.allocUnsafe(m.length + r.length + 20);
      b.set(m, 0);
      b.set(r, m.length);
      let at = m.length + r.length;
      for (const n of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) at = b.writeUInt32BE(n >>> 0, at);
      rdata = b;
      break;
    }
  }
  return { name: rr.name.toLowerCase(), type: typeCode(d), ttl: rr.ttl, rdata };
}

/**
 * The lower-case wire form of a name in RDATA. The same few names recur in every sender domain's records (the
 * platform's MX host), so the last ones are kept: a million domains do not encode `mx.<zone>` a million times.
 * Callers copy what they keep (a WireRecord's RDATA is never written to).
 */
function wireOf(name: string): Uint8Array {
  let wire = recentNames.get(name);
  if (wire === undefined) {
    wire = nameToWire(name.toLowerCase());
    if (recentNames.size >= 64) recentNames.clear();
    recentNames.set(name, wire);
  }
  return wire;
}
const recentNames = new Map<string, Uint8Array>();

/** RFC 1035 §3.3.14: one length octet, then up to 255 octets, per character-string. */
function txtRdata(strings: readonly string[]): Buffer {
  let length = 0;
  for (const s of strings) {
    const n = Buffer.byteLength(s, 'utf8');
    if (n > 255) throw new Error('TXT character-string over 255 octets');
    length += 1 + n;
  }
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const s of strings) {
    const n = out.write(s, at + 1, 'utf8');
    out[at] = n;
    at += 1 + n;
  }
  return out;
}

/** A string equal for equal records (owner, type, TTL and RDATA octets): keys the diff of two versions. */
export function recordIdentity(r: WireRecord): string {
  return `${r.name} ${r.type} ${r.ttl} ${Buffer.from(r.rdata.buffer, r.rdata.byteOffset, r.rdata.length).toString('latin1')}`;
}

/** The name a record points at whose addresses or records may come along (MX exchange, NS host, CNAME target). */
export function rdataTarget(r: WireRecord): string | undefined {
  if (r.type === RRType.MX) return readName(r.rdata, 2)?.name.toLowerCase();
  if (r.type === RRType.NS || r.type === RRType.CNAME) return readName(r.rdata, 0)?.name.toLowerCase();
  return undefined;
}

/** RDATA in presentation form (RFC 1035 §5.1), absolute names ending with a dot; unknown types per RFC 3597 §5. */
export function presentRdata(type: number, rdata: Uint8Array): string {
  const name = (at: number) => {
    const n = readName(rdata, at);
    if (n === null) throw new Error('malformed name in RDATA');
    return n;
  };
  const view = Buffer.from(rdata.buffer, rdata.byteOffset, rdata.length);
  switch (type) {
    case RRType.A:
      return [...rdata].join('.');
    case RRType.AAAA: {
      // RFC 4291 §2.2 form 1: eight groups, each loaded by any master-file reader.
      const groups: string[] = [];
      for (let i = 0; i < 16; i += 2) groups.push(view.readUInt16BE(i).toString(16));
      return groups.join(':');
    }
    case RRType.NS:
    case RRType.CNAME:
      return `${name(0).name}.`;
    case RRType.MX:
      return `${view.readUInt16BE(0)} ${name(2).name}.`;
    case RRType.TXT: {
      const strings: string[] = [];
      for (let at = 0; at < rdata.length; at += 1 + rdata[at]!) {
        strings.push(presentCharacterBytes(rdata.subarray(at + 1, at + 1 + rdata[at]!)));
      }
      return strings.join(' ');
    }
    case RRType.SOA: {
      const m = name(0);
      const r = name(m.end);
      const numbers = [0, 4, 8, 12, 16].map((o) => view.readUInt32BE(r.end + o));
      return `${m.name}. ${r.name}. ${numbers.join(' ')}`;
    }
    default:
      return `\\# ${rdata.length} ${view.toString('hex')}`;
  }
}

/** One line of a master file (RFC 1035 §5): absolute owner, TTL, class, type, RDATA. */
export function presentRecord(r: WireRecord): string {
  return `${r.name}.\t${r.ttl}\tIN\t${typeName(r.type)}\t${presentRdata(r.type, r.rdata)}`;
}

/** The serial of an SOA record's RDATA (RFC 1035 §3.3.13: after MNAME and RNAME). */
export function soaSerial(rdata: Uint8Array): number {
  const m = readName(rdata, 0);
  const r = m === null ? null : readName(rdata, m.end);
  if (r === null || r.end + 20 > rdata.length) throw new Error('malformed SOA RDATA');
  return Buffer.from(rdata.buffer, rdata.byteOffset, rdata.length).readUInt32BE(r.end);
}

/** The stored form of records (the journal): JSON with the RDATA in base64. */
export interface StoredRecord {
  readonly n: string;
  readonly t: number;
  readonly l: number;
  readonly d: string;
}

export function storeRecord(r: WireRecord): StoredRecord {
  return { n: r.name, t: r.type, l: r.ttl, d: Buffer.from(r.rdata).toString('base64') };
}

export function loadRecord(s: StoredRecord): WireRecord {
  return { name: s.n, type: s.t, ttl: s.l, rdata: Buffer.from(s.d, 'base64') };
}
