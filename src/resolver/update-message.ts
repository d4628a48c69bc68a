import { HEADER_LENGTH, nameToWire, Opcode, RRClass, RRType } from '../dns-wire/index.ts';
import { parseIp } from '../ip/index.ts';
import type { ResourceData } from './model.ts';

/** The record types a dynamic update from senderd writes. */
export type UpdateData =
  | Extract<ResourceData, { type: 'A' | 'AAAA' | 'MX' | 'TXT' }>
  | { readonly type: 'CNAME'; readonly target: string };

export interface UpdateRecord {
  /** Owner name, lower case, no trailing dot. */
  readonly name: string;
  readonly ttl: number;
  readonly data: UpdateData;
}

/** What must hold in the zone for the update to apply at all (RFC 2136 §2.4); otherwise nothing changes. */
export type Prerequisite =
  /** §2.4.5: no record of any type at the name (so a CNAME may be added, RFC 2181 §10.1). */
  | { readonly kind: 'name-not-in-use'; readonly name: string }
  /** §2.4.3: no RRset of this type at the name. */
  | { readonly kind: 'rrset-absent'; readonly name: string; readonly type: UpdateData['type'] }
  /** §2.4.2: the RRset is exactly these records (value dependent): what was read is still there. */
  | { readonly kind: 'rrset-equals'; readonly records: readonly UpdateRecord[] };

export type Change =
  /** §2.5.1: add to an RRset. */
  | { readonly kind: 'add'; readonly record: UpdateRecord }
  /** §2.5.4: delete this one record from its RRset. */
  | { readonly kind: 'delete'; readonly record: UpdateRecord };

/**
 * An UPDATE message (RFC 2136 §2): the zone section (the zone's apex, type SOA), the prerequisites, the changes,
 * no additional data (the TSIG record is appended by the signer). Names are written uncompressed; owner names
 * keep the case given (lower case by our convention).
 */
export function encodeUpdate(
  id: number,
  zone: string,
  prerequisites: readonly Prerequisite[],
  changes: readonly Change[],
): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(Opcode.UPDATE << 11, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(prerequisiteCount(prerequisites), 6);
  header.writeUInt16BE(changes.length, 8);
  const zoneSection = Buffer.concat([nameToWire(zone), u16(RRType.SOA), u16(RRClass.IN)]);
  return Buffer.concat([
    header,
    zoneSection,
    ...prerequisites.map(encodePrerequisite),
    ...changes.map((c) =>
      c.kind === 'add'
        ? rr(c.record.name, RRType[c.record.data.type], RRClass.IN, c.record.ttl, rdata(c.record.data))
        : rr(c.record.name, RRType[c.record.data.type], RRClass.NONE, 0, rdata(c.record.data)),
    ),
  ]);
}

function encodePrerequisite(p: Prerequisite): Buffer {
  switch (p.kind) {
    case 'name-not-in-use':
      return rr(p.name, RRType.ANY, RRClass.NONE, 0, Buffer.alloc(0));
    case 'rrset-absent':
      return rr(p.name, RRType[p.type], RRClass.NONE, 0, Buffer.alloc(0));
    case 'rrset-equals':
      // §2.4.2: one RR per member of the set, class of the zone, TTL 0.
      return Buffer.concat(
        p.records.map((r) => rr(r.name, RRType[r.data.type], RRClass.IN, 0, rdata(r.data))),
      );
  }
}

/** How many RRs a prerequisite takes in the message (an `rrset-equals` is one per record). */
export function prerequisiteCount(prerequisites: readonly Prerequisite[]): number {
  return prerequisites.reduce((n, p) => n + (p.kind === 'rrset-equals' ? p.records.length : 1), 0);
}

function rr(name: string, type: number, klass: number, ttl: number, data: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(klass, 2);
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([nameToWire(name), fixed, data]);
}

function rdata(data: UpdateData): Buffer {
  switch (data.type) {
    case 'A':
    case 'AAAA': {
      const ip = parseIp(data.address);
      if (ip === null || ip.family !== (data.type === 'A' ? 4 : 6))
        throw new Error(`not an ${data.type} address: ${data.address}`);
      return Buffer.from(ip.bytes);
    }
    case 'CNAME':
      return nameToWire(data.target);
    case 'MX':
      return Buffer.concat([u16(data.preference), nameToWire(data.exchange)]);
    case 'TXT':
      // RFC 1035 §3.3.14: each character-string is a length octet and at most 255 octets.
      return Buffer.concat(
        data.strings.map((s) => {
          if (s.length > 255) throw new Error('a TXT character-string is longer than 255 octets');
          return Buffer.concat([Buffer.from([s.length]), s]);
        }),
      );
  }
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
