import { ANSWER_HEADER, ENTRY_HEADER, EntryFlag, Kind } from './answer-store.ts';
import { HEADER_LENGTH, MAX_NAME_WIRE, RRType } from '../dns-wire/index.ts';
import type { WireRecord } from './wire-record.ts';

/**
 * Reads a name's own records back out of its pre-encoded answers (answer-store.ts), which are the zone's only copy
 * of them. Each answer body was encoded as if it followed a question for the name at offset 12, so a pointer in it
 * lands either in that question (whose bytes are the name itself) or earlier in the body. The answer for a type
 * holds that RRset first, owned by the name; a CNAME owner's own record is the first of its CNAME answer.
 */

/** The lower-case wire form of a name entry's full name: its relative key, then the apex's labels. */
export function entryWireName(data8: Uint8Array, entry: number, apexWire: Uint8Array): Uint8Array {
  const keyAt = entry + ENTRY_HEADER + 8 * data8[entry + 5]!;
  const keyLength = data8[entry + 4]!;
  const out = new Uint8Array(keyLength + apexWire.length);
  out.set(data8.subarray(keyAt, keyAt + keyLength), 0);
  out.set(apexWire, keyLength);
  return out;
}

/** Dotted text of a wire name of plain labels (no escapes: zone names are letters, digits, `-` and `_`). */
export function wireToName(wire: Uint8Array): string {
  let name = '';
  for (let at = 0; wire[at] !== 0 && at < wire.length; at += 1 + wire[at]!) {
    if (name !== '') name += '.';
    name += String.fromCharCode(...wire.subarray(at + 1, at + 1 + wire[at]!));
  }
  return name;
}

/** The records a name entry owns (none for an empty non-terminal or an entry of another kind). */
export function entryRecords(data8: Uint8Array, entry: number, name: string, wire: Uint8Array): WireRecord[] {
  if (data8[entry + 6] !== Kind.NAME) return [];
  const data32 = new Int32Array(data8.buffer, data8.byteOffset, data8.length >> 2);
  const w = entry >> 2;
  const count = data8[entry + 5]!;
  const out: WireRecord[] = [];
  for (let i = 0; i < count; i++) {
    const type = data32[w + 6 + 2 * i]!;
    const cnameOwner = (data8[entry + 7]! & EntryFlag.CNAME) !== 0;
    if (cnameOwner && type !== RRType.CNAME) continue;
    const answer = entry + data32[w + 7 + 2 * i]!;
    const records = data8[answer + 2]! | (data8[answer + 3]! << 8);
    const bodyLength = data8[answer + 10]! | (data8[answer + 11]! << 8);
    const body = data8.subarray(answer + ANSWER_HEADER, answer + ANSWER_HEADER + bodyLength);
    const reader = new BodyReader(wire, body);
    for (let j = 0; j < (cnameOwner ? 1 : records); j++) out.push(reader.record(name));
  }
  return out;
}

/** Reads records from an answer body, resolving pointers into the question (the name) or the body. */
class BodyReader {
  readonly #wire: Uint8Array;
  readonly #body: Uint8Array;
  /** Message offset of the body: header, question name, QTYPE and QCLASS. */
  readonly #base: number;
  #at = 0;

  constructor(wire: Uint8Array, body: Uint8Array) {
    this.#wire = wire;
    this.#body = body;
    this.#base = HEADER_LENGTH + wire.length + 4;
  }

  #byte(offset: number): number {
    if (offset >= this.#base) return this.#body[offset - this.#base]!;
    const q = offset - HEADER_LENGTH;
    if (q >= 0 && q < this.#wire.length) return this.#wire[q]!;
    throw new Error('a pointer outside the name and the body');
  }

  /** The name at a message offset, uncompressed, lower-cased; and the message offset after it. */
  #name(start: number): { wire: Uint8Array; end: number } {
    const out: number[] = [];
    let pos = start;
    let end = -1;
    for (let hops = 0; hops < 128; hops++) {
      const length = this.#byte(pos);
      if ((length & 0xc0) === 0xc0) {
        if (end < 0) end = pos + 2;
        pos = ((length & 0x3f) << 8) | this.#byte(pos + 1);
        continue;
      }
      out.push(length);
      if (length === 0) {
        if (out.length > MAX_NAME_WIRE) throw new Error('name too long');
        return { wire: Uint8Array.from(out), end: end < 0 ? pos + 1 : end };
      }
      for (let i = 1; i <= length; i++) {
        const c = this.#byte(pos + i);
        out.push(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
      }
      pos += 1 + length;
    }
    throw new Error('a pointer loop');
  }

  record(owner: string): WireRecord {
    const at = this.#base + this.#at;
    const afterOwner = this.#name(at).end - this.#base;
    const b = this.#body;
    const type = (b[afterOwner]! << 8) | b[afterOwner + 1]!;
    const ttl =
      ((b[afterOwner + 4]! << 24) |
        (b[afterOwner + 5]! << 16) |
        (b[afterOwner + 6]! << 8) |
        b[afterOwner + 7]!) >>>
      0;
    const length = (b[afterOwner + 8]! << 8) | b[afterOwner + 9]!;
    const start = afterOwner + 10;
    this.#at = start + length;
    const message = (offset: number) => this.#base + offset;
    let rdata: Uint8Array;
    switch (type) {
      case RRType.MX: {
        const exchange = this.#name(message(start + 2)).wire;
        rdata = new Uint8Array(2 + exchange.length);
        rdata.set(b.subarray(start, start + 2), 0);
        rdata.set(exchange, 2);
        break;
      }
      case RRType.NS:
      case RRType.CNAME:
        rdata = this.#name(message(start)).wire;
        break;
      case RRType.SOA: {
        const m = this.#name(message(start));
        const r = this.#name(m.end);
        rdata = new Uint8Array(m.wire.length + r.wire.length + 20);
        rdata.set(m.wire, 0);
        rdata.set(r.wire, m.wire.length);
        const numbers = r.end - this.#base;
        rdata.set(b.subarray(numbers, numbers + 20), m.wire.length + r.wire.length);
        break;
      }
      default:
        rdata = b.slice(start, start + length);
    }
    return { name: owner, type, ttl, rdata };
  }
}
