import type { AnswerBytes, NameAnswers } from './answer-store.ts';
import { HEADER_LENGTH, isAtOrBelow, Rcode, readName, RRType } from '../dns-wire/index.ts';
import { rdataTarget, type WireRecord } from './wire-record.ts';
import { WireWriter } from './wire-writer.ts';

/**
 * Answers compiled ahead of queries (MEASURED.md: encoding per query costs a third of the speed). Each body is
 * encoded as if it followed a question for exactly that name at offset 12, so owner names are 2-byte pointers to
 * the question, whose case the client chose (RFC 4343 §4). Names are resolved as RFC 1034 §4.3.2 says for a zone
 * with no delegations and no wildcards. The SOA of negative answers is not part of a body: it changes with every
 * serial, so the responder appends it per query.
 */

/** The records of one type at one name, one TTL for all (RFC 2181 §5.2). */
export interface RRset {
  readonly type: number;
  readonly records: readonly WireRecord[];
}

/** What compiling needs to know of the rest of the zone. */
export interface ZoneView {
  readonly apex: string;
  /** The RRsets at a (lower-case) name, by ascending type; undefined if it owns none. */
  rrsetsAt(name: string): readonly RRset[] | undefined;
  /** True if the name owns records or is an empty non-terminal above some (RFC 8020). */
  exists(name: string): boolean;
  /** The A and AAAA records of an in-zone host (for the additional section of MX and NS answers). */
  addresses(host: string): readonly WireRecord[];
}

export interface Resolution {
  readonly rcode: typeof Rcode.NOERROR | typeof Rcode.NXDOMAIN;
  readonly answer: readonly WireRecord[];
  readonly additional: readonly WireRecord[];
  /** NXDOMAIN or NODATA (at the end of any CNAME chain): the SOA goes in the authority (RFC 2308 §2). */
  readonly negative: boolean;
}

/** Longest CNAME chain followed inside the zone; a longer one (or a loop) ends the answer there. */
export const MAX_CNAME_CHAIN = 8;

/** Groups records by type, without duplicates, one TTL per RRset (the lowest), types ascending. */
export function groupRecords(records: readonly WireRecord[]): RRset[] {
  if (records.length === 1) return [{ type: records[0]!.type, records }];
  const byType = new Map<number, WireRecord[]>();
  for (const r of records) {
    const list = byType.get(r.type);
    // RFC 2181 §5: an RRset has no duplicate records (two sender domains may publish the same one).
    if (list === undefined) byType.set(r.type, [r]);
    else if (!list.some((o) => sameBytes(o.rdata, r.rdata))) list.push(r);
  }
  const sets: RRset[] = [];
  for (const [type, list] of byType) {
    // RFC 2181 §5.2: every record of an RRset has the same TTL; use the lowest one given.
    let ttl = list[0]!.ttl;
    for (const r of list) if (r.ttl < ttl) ttl = r.ttl;
    sets.push({ type, records: list.some((r) => r.ttl !== ttl) ? list.map((r) => ({ ...r, ttl })) : list });
  }
  return sets.sort((a, b) => a.type - b.type);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Answers a question for a name inside the zone; records owned by the queried name carry the question's spelling. */
export function resolveName(zone: ZoneView, qname: string, qtype: number): Resolution {
  const answer: WireRecord[] = [];
  const additional: WireRecord[] = [];
  const visited = new Set<string>();
  let spelled = qname;
  let name = qname.toLowerCase();
  for (let hop = 0; ; hop++) {
    visited.add(name);
    const sets = zone.rrsetsAt(name);
    if (sets === undefined) {
      // RFC 6604 §3: the RCODE describes the last name of the chain.
      const rcode = zone.exists(name) ? Rcode.NOERROR : Rcode.NXDOMAIN;
      return { rcode, answer, additional, negative: true };
    }
    const cname = sets.find((s) => s.type === RRType.CNAME)?.records[0];
    if (cname !== undefined && qtype !== RRType.CNAME && qtype !== RRType.ANY) {
      answer.push(respell(cname, spelled));
      const target = rdataTarget(cname) ?? '';
      // RFC 1034 §4.3.2 step 3a: restart at the target if we are authoritative for it; stop on a loop.
      if (!isAtOrBelow(target, zone.apex) || visited.has(target) || hop + 1 >= MAX_CNAME_CHAIN) {
        return { rcode: Rcode.NOERROR, answer, additional, negative: false };
      }
      name = target;
      spelled = target;
      continue;
    }
    // RFC 8482 §4.1: answer ANY with one RRset rather than all of them; here the lowest type present.
    const set = qtype === RRType.ANY ? sets[0] : sets.find((s) => s.type === qtype);
    if (set === undefined) return { rcode: Rcode.NOERROR, answer, additional, negative: true };
    for (const r of set.records) answer.push(respell(r, spelled));
    addAdditional(zone, set.records, additional);
    return { rcode: Rcode.NOERROR, answer, additional, negative: false };
  }
}

/** RFC 1035 §3.3.9, §3.3.11: the addresses of an MX exchange or NS host, when this zone holds them. */
function addAdditional(zone: ZoneView, records: readonly WireRecord[], additional: WireRecord[]): void {
  for (const r of records) {
    if (r.type !== RRType.MX && r.type !== RRType.NS) continue;
    const host = rdataTarget(r);
    if (host === undefined || !isAtOrBelow(host, zone.apex)) continue;
    for (const address of zone.addresses(host)) if (!additional.includes(address)) additional.push(address);
  }
}

function respell(r: WireRecord, spelled: string): WireRecord {
  return r.name === spelled ? r : { ...r, name: spelled };
}

/** One writer for every encoding: encoding is synchronous and never nested. */
const scratch = new WireWriter(0, 4096);

/** Wire length of a dotted name of ASCII labels: a length octet per label, the labels, the root octet. */
function wireLength(name: string): number {
  return name === '' ? 1 : name.length + 2;
}

/** Encodes a resolution as it would follow a question for `qname` at offset 12. */
export function encodeResolution(qname: string, resolution: Resolution): AnswerBytes {
  if (resolution.negative && resolution.additional.length > 0) {
    throw new Error('a negative answer carries no additional records');
  }
  const w = scratch.reset(HEADER_LENGTH + wireLength(qname) + 4);
  w.knowName(qname, HEADER_LENGTH);
  for (const r of resolution.answer) writeWireRecord(w, r);
  const requiredLength = w.length;
  for (const r of resolution.additional) writeWireRecord(w, r);
  return {
    rcode: resolution.rcode,
    negative: resolution.negative,
    answerCount: resolution.answer.length,
    authorityCount: 0,
    additionalCount: resolution.additional.length,
    requiredLength,
    body: w.toBuffer(),
  };
}

/** Writes a record, its owner and the names in its RDATA compressed against what the writer knows. */
export function writeWireRecord(w: WireWriter, r: WireRecord): void {
  w.name(r.name).u16(r.type).u16(1).u32(r.ttl);
  const lengthAt = w.length;
  w.u16(0);
  const start = w.length;
  const rdata = r.rdata;
  const name = (at: number) => {
    const n = readName(rdata, at);
    if (n === null) throw new Error(`malformed name in the RDATA of ${r.name}`);
    w.name(n.name);
    return n.end;
  };
  switch (r.type) {
    case RRType.MX:
      w.bytes(rdata.subarray(0, 2));
      name(2);
      break;
    case RRType.NS:
    case RRType.CNAME:
      name(0);
      break;
    case RRType.SOA:
      w.bytes(rdata.subarray(name(name(0))));
      break;
    default:
      w.bytes(rdata);
  }
  w.patchU16(lengthAt, w.length - start);
}

/**
 * The answers of one name, given as dotted text and as its lower-case wire form. The bodies may be views of
 * shared scratch space: store them before compiling the next name.
 */
export function compileName(
  zone: ZoneView,
  name: string,
  wire: Uint8Array,
  sets: readonly RRset[],
): NameAnswers {
  const types = sets.map((s) => s.type);
  if (!types.includes(RRType.CNAME)) return compileOwned(zone, wire, sets);
  // RFC 1034 §4.3.2: a CNAME answers every type; the chain's end decides which types have data.
  const end = chainOf(zone, name).at(-1) ?? name;
  const chainTypes = (zone.rrsetsAt(end) ?? []).map((s) => s.type);
  const all = [...new Set([RRType.CNAME, ...chainTypes])].sort((a, b) => a - b);
  const answers = all.map((type) => encodeResolution(name, resolveName(zone, name, type)));
  const fallback = encodeResolution(name, resolveName(zone, name, -1));
  return { types: all, answers, fallback, any: answers[all.indexOf(RRType.CNAME)]! };
}

/** The in-zone names a CNAME chain from `name` passes through, in order (not `name` itself). */
export function chainOf(zone: ZoneView, name: string): string[] {
  const out: string[] = [];
  let here = name;
  for (let hop = 0; hop < MAX_CNAME_CHAIN; hop++) {
    const cname = zone.rrsetsAt(here)?.find((s) => s.type === RRType.CNAME)?.records[0];
    if (cname === undefined) break;
    const target = rdataTarget(cname) ?? '';
    if (!isAtOrBelow(target, zone.apex) || target === name || out.includes(target)) break;
    out.push(target);
    here = target;
  }
  return out;
}

/** Bodies of the answers being compiled: views of this go to the arena, which copies them. */
const bodies = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * The answers of a name that owns no CNAME: each RRset, plus the addresses of its in-zone MX exchanges and NS
 * hosts. Encoded straight into octets (the compiler's hot path: a million domains are compiled at start): owners
 * are pointers to the question, a name in RDATA is compressed against the question when they share a suffix,
 * and an additional record's owner points at the name in the RDATA that brought it.
 */
function compileOwned(zone: ZoneView, wire: Uint8Array, sets: readonly RRset[]): NameAnswers {
  const base = HEADER_LENGTH + wire.length + 4;
  const answers: AnswerBytes[] = [];
  let at = 0;
  for (const set of sets) {
    const start = at;
    const targets: Array<{ readonly owner: number; readonly host: string }> = [];
    for (const r of set.records) {
      at = writeHead(HEADER_LENGTH, r, at);
      const lengthAt = at - 2;
      const rdataAt = at;
      const nameAt = r.type === RRType.MX ? 2 : r.type === RRType.NS ? 0 : -1;
      if (nameAt >= 0) {
        bodies.set(r.rdata.subarray(0, nameAt), at);
        at += nameAt;
        const nameStart = at;
        const shared = sharedSuffix(r.rdata, nameAt, wire);
        const labelsEnd = shared < 0 ? nameEnd(r.rdata, nameAt) : shared;
        bodies.set(r.rdata.subarray(nameAt, labelsEnd), at);
        at += labelsEnd - nameAt;
        const pointer = shared < 0 ? -1 : HEADER_LENGTH + wire.length - (nameEnd(r.rdata, shared) - shared);
        if (pointer >= 0) at = bodies.writeUInt16BE(0xc000 | pointer, at);
        // The name's place in the message, for the owners of its addresses: where it starts, or (when it is all
        // pointer) where the pointer leads.
        const host = rdataTarget(r);
        const owner = labelsEnd === nameAt ? pointer : base + (nameStart - start);
        if (host !== undefined && isAtOrBelow(host, zone.apex) && !targets.some((t) => t.host === host)) {
          targets.push({ owner, host });
        }
      } else {
        bodies.set(r.rdata, at);
        at += r.rdata.length;
      }
      bodies.writeUInt16BE(at - rdataAt, lengthAt);
    }
    const requiredLength = at - start;
    let additionalCount = 0;
    for (const { owner, host } of targets) {
      for (const address of zone.addresses(host)) {
        at = writeHead(owner, address, at);
        bodies.set(address.rdata, at);
        at += address.rdata.length;
        additionalCount++;
      }
    }
    answers.push({
      rcode: Rcode.NOERROR,
      negative: false,
      answerCount: set.records.length,
      authorityCount: 0,
      additionalCount,
      requiredLength,
      body: bodies.subarray(start, at),
    });
  }
  return { types: sets.map((s) => s.type), answers, fallback: null, any: answers[0] ?? null };
}

/** Writes an owner pointer, TYPE, CLASS IN, TTL and RDLENGTH (of the record's RDATA as stored). */
function writeHead(ownerPointer: number, r: WireRecord, at: number): number {
  bodies.writeUInt16BE(0xc000 | ownerPointer, at);
  bodies.writeUInt16BE(r.type, at + 2);
  bodies.writeUInt16BE(1, at + 4);
  bodies.writeUInt32BE(r.ttl, at + 6);
  bodies.writeUInt16BE(r.rdata.length, at + 10);
  return at + 12;
}

/**
 * Where, in `rdata`, the longest label-aligned suffix of the name at `from` begins that is also a suffix of the
 * question `wire` (RFC 1035 §4.1.4: it is then a pointer), or -1 when they share nothing but the root.
 */
function sharedSuffix(rdata: Uint8Array, from: number, wire: Uint8Array): number {
  const end = nameEnd(rdata, from);
  for (let i = from; rdata[i] !== 0; i += 1 + rdata[i]!) {
    const length = end - i;
    const j = wire.length - length;
    if (j < 0 || !labelAligned(wire, j)) continue;
    let k = 0;
    while (k < length && rdata[i + k] === wire[j + k]) k++;
    if (k === length) return i;
  }
  return -1;
}

/** The offset just after the uncompressed name at `from`. */
function nameEnd(rdata: Uint8Array, from: number): number {
  let i = from;
  while (rdata[i] !== 0) i += 1 + rdata[i]!;
  return i + 1;
}

/** Whether offset `j` of a wire name starts a label. */
function labelAligned(wire: Uint8Array, j: number): boolean {
  let i = 0;
  while (i < j) i += 1 + wire[i]!;
  return i === j;
}
