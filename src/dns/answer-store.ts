/**
 * The zone in shared memory: one arena (SharedArrayBuffer) of entries and an open-addressing index keyed by the
 * folded wire form of each name *relative to the apex* (the apex's labels are the suffix every name shares, so
 * they are stored once, not once per name). Every UDP worker thread reads the same bytes, with no copy per thread
 * and no JavaScript object per name. One writer (the main thread) appends entries and publishes each with an
 * atomic store of its offset in the index; a published entry's answers never change, so a reader sees the old
 * entry or the new one, never half of either. When the arena fills, the live entries are copied, in their order,
 * into a new one, and readers are handed the new buffers (`onSwap`).
 *
 * The pre-encoded answers are the only copy of the zone's data: zone transfers and `zone export` decode the
 * records back out of them (entry-records.ts), so a DKIM key's bytes are held once.
 *
 * Entry layout, 4-byte aligned (native Int32 words and bytes; the u16s are little-endian):
 *   word 0  span length (entry + key + answers)
 *   byte 4  key length      byte 5  type count      byte 6  kind      byte 7  flags
 *   word 2  fallback answer ref (a contributor or tail entry: its payload length)
 *   word 3  ANY answer ref
 *   word 4  owner: the number of the one contributor whose records these are (0: none, or several)
 *   word 5  below: how many names strictly below this one own records (RFC 8020: an empty non-terminal exists)
 *   then per type: word type, word answer ref; then the key bytes; then the answers (or the payload).
 * Answer: byte rcode, byte flags (1 = negative), u16 answer/authority/additional counts, u16 required
 * length, u16 body length, then the body. A ref is the answer's offset from the entry; 0 means NODATA, which is
 * not stored. The owner, below and the stale flag are the writer's bookkeeping: readers of queries never look at
 * them, so the writer may change them in place.
 */

export interface ArenaBuffers {
  readonly data: SharedArrayBuffer;
  readonly index: SharedArrayBuffer;
}

/** One answer as the compiler hands it over: counts, flags and the encoded sections. */
export interface AnswerBytes {
  readonly rcode: number;
  readonly negative: boolean;
  readonly answerCount: number;
  readonly authorityCount: number;
  readonly additionalCount: number;
  readonly requiredLength: number;
  readonly body: Uint8Array;
}

export interface NameAnswers {
  /** Ascending QTYPEs the name has answers for, and the answer of each. */
  readonly types: readonly number[];
  readonly answers: readonly AnswerBytes[];
  /** The answer for any other QTYPE: NODATA (null), or a CNAME chain's answer. */
  readonly fallback: AnswerBytes | null;
  /** RFC 8482: the one RRset given for ANY; null for NODATA. */
  readonly any: AnswerBytes | null;
}

export const HEADER = 64;
/** Header word: the offset of the SOA tail (a length word, then the bytes); 0 before there is one. */
export const H_SOA = 0;
export const EMPTY = 0;
export const DELETED = 1;
export const ENTRY_HEADER = 24;
export const ANSWER_HEADER = 12;

/** What an entry holds (byte 6). */
export const Kind = {
  /** A name of the zone: its answers (none for an empty non-terminal). */
  NAME: 0,
  /** A contributor's bookkeeping: the names it has records at, and the digest of its records (zone.ts). */
  CONTRIBUTOR: 1,
  /** The SOA tail that negative answers append. */
  TAIL: 2,
} as const;

/** Entry flags (byte 7). */
export const EntryFlag = {
  /** The name owns a CNAME: its only record of its own (RFC 1034 §3.6.2); other answers follow the chain. */
  CNAME: 1,
  /** Some answer carries another name's records (MX/NS additional addresses, a CNAME chain). */
  EMBEDS: 2,
  /** Superseded or deleted: no longer in the index, skipped when the arena is copied or walked. */
  STALE: 0x80,
} as const;

/** FNV-1a over bytes: the index's hash. The responder computes it over the relative part of the question. */
export function hashBytes(bytes: Uint8Array, length: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

export const align = (n: number) => (n + 3) & ~3;

/** Reads the arena: used by the responder on the main thread and in every UDP worker. */
export class ArenaReader {
  data8!: Uint8Array;
  data32!: Int32Array;
  index!: Int32Array;
  #mask = 0;
  #whole!: Buffer;

  constructor(buffers: ArenaBuffers) {
    this.swap(buffers);
  }

  swap(buffers: ArenaBuffers): void {
    this.data8 = new Uint8Array(buffers.data);
    this.data32 = new Int32Array(buffers.data);
    this.index = new Int32Array(buffers.index);
    this.#mask = this.index.length - 1;
    this.#whole = Buffer.from(buffers.data);
  }

  /** The entry offset for the first `length` bytes of `key` (a relative name key, folded), or 0. */
  find(key: Uint8Array, length: number, hash: number): number {
    const index = this.index;
    const data = this.data8;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      // A plain load (Atomics.load is a builtin call on this hot path): an aligned 32-bit read cannot tear, and
      // every read of the entry depends on the offset read here, so it cannot be reordered before it. The
      // writer publishes with Atomics.store after writing the entry.
      const entry = index[slot]!;
      if (entry === EMPTY) return 0;
      if (entry === DELETED || data[entry + 4] !== length) continue;
      const keyAt = entry + ENTRY_HEADER + 8 * data[entry + 5]!;
      let i = 0;
      while (i < length && data[keyAt + i] === key[i]) i++;
      if (i === length) return entry;
    }
  }

  /** The absolute offset of the answer to `qtype` at an entry, or 0 for NODATA. */
  answerFor(entry: number, qtype: number, any: boolean): number {
    const w = entry >> 2;
    const d32 = this.data32;
    const count = this.data8[entry + 5]!;
    for (let i = 0; i < count; i++) {
      if (d32[w + 6 + 2 * i] === qtype) return entry + d32[w + 7 + 2 * i]!;
    }
    const ref = any ? d32[w + 3]! : d32[w + 2]!;
    return ref === 0 ? 0 : entry + ref;
  }

  rcode(answer: number): number {
    return this.data8[answer]!;
  }
  negative(answer: number): boolean {
    return (this.data8[answer + 1]! & 1) !== 0;
  }
  count(answer: number, section: 0 | 1 | 2): number {
    const d = this.data8;
    return d[answer + 2 + 2 * section]! | (d[answer + 3 + 2 * section]! << 8);
  }
  requiredLength(answer: number): number {
    return this.data8[answer + 8]! | (this.data8[answer + 9]! << 8);
  }
  bodyLength(answer: number): number {
    return this.data8[answer + 10]! | (this.data8[answer + 11]! << 8);
  }
  /** A view of the first `length` bytes of the answer's body. */
  body(answer: number, length: number): Buffer {
    return this.#whole.subarray(answer + ANSWER_HEADER, answer + ANSWER_HEADER + length);
  }
  /** TYPE … RDATA of the SOA for negative answers. */
  soaTail(): Buffer {
    // One word publishes the tail: its offset, where a length word precedes the bytes (see find for plain loads).
    const at = this.data32[H_SOA]!;
    return this.#whole.subarray(at + 4, at + 4 + this.data32[at >> 2]!);
  }
}
