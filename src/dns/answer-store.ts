/**
 * Pre-encoded answers in shared memory: one arena (SharedArrayBuffer) of entries and an open-addressing index
 * keyed by the folded wire form of the owner name, so every UDP worker thread reads the same bytes, with no
 * copy per thread and no JavaScript object per name. One writer (the main thread) appends entries and
 * publishes each with an atomic store of its offset in the index; an entry is never changed once published,
 * so a reader sees the old entry or the new one, never half of either. When the arena fills, the live entries
 * are copied into a new, larger one, and readers are handed the new buffers (`onSwap`).
 *
 * Entry layout, 4-byte aligned (native Int32 words and bytes; the u16s are little-endian):
 *   word 0  span length (entry + key + answers)     byte 4  key length    byte 5  type count
 *   word 2  fallback answer ref                     word 3  ANY answer ref
 *   then per type: word type, word answer ref; then the key bytes; then the answers.
 * Answer: byte rcode, byte flags (1 = negative), u16 answer/authority/additional counts, u16 required
 * length, u16 body length, then the body. A ref is the answer's offset from the entry;
 * 0 means NODATA, which is not stored.
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

const HEADER = 64;
/** Header word: the offset of the SOA tail (a length word, then the bytes); 0 before there is one. */
const H_SOA = 0;
const EMPTY = 0;
const DELETED = 1;
const ANSWER_HEADER = 12;

/** FNV-1a over bytes: the index's hash. Readers compute it while folding the question's name. */
export function hashBytes(bytes: Uint8Array, length: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

const align = (n: number) => (n + 3) & ~3;

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

  /** The entry offset for a folded wire name, or 0. */
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
      const keyAt = entry + 16 + 8 * data[entry + 5]!;
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
      if (d32[w + 4 + 2 * i] === qtype) return entry + d32[w + 5 + 2 * i]!;
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

/** Writes the arena. Only one thread writes. */
export class ArenaWriter {
  #buffers: ArenaBuffers;
  #data8: Uint8Array;
  #data32: Int32Array;
  #index: Int32Array;
  #used = HEADER;
  /** Bytes of live entries (spans still indexed). */
  #live = 0;
  #entries = 0;
  #deleted = 0;
  readonly reader: ArenaReader;
  /** Called with new buffers after the arena was copied into a larger or compacted one. */
  onSwap: ((buffers: ArenaBuffers) => void) | undefined;

  constructor(dataBytes = 1 << 20, slots = 1 << 12) {
    this.#buffers = { data: new SharedArrayBuffer(dataBytes), index: new SharedArrayBuffer(slots * 4) };
    this.#data8 = new Uint8Array(this.#buffers.data);
    this.#data32 = new Int32Array(this.#buffers.data);
    this.#index = new Int32Array(this.#buffers.index);
    this.reader = new ArenaReader(this.#buffers);
  }

  get buffers(): ArenaBuffers {
    return this.#buffers;
  }

  /** Names stored. */
  get size(): number {
    return this.#entries;
  }

  /** Bytes in use by live entries, bytes written (live and stale), the arena's capacity and index slots. */
  get usage(): { live: number; used: number; capacity: number; slots: number } {
    return { live: this.#live, used: this.#used, capacity: this.#data8.length, slots: this.#index.length };
  }

  /** Stores (or replaces) the answers of a name given by its folded wire key. */
  put(key: Uint8Array, answers: NameAnswers): void {
    // Each distinct answer is stored once (ANY usually is one of the typed answers).
    const distinct: AnswerBytes[] = [];
    const refs: number[] = [];
    const typeCount = answers.types.length;
    let span = align(16 + 8 * typeCount + key.length);
    const refOf = (a: AnswerBytes) => refs[distinct.indexOf(a)]!;
    for (const a of [...answers.answers, answers.fallback, answers.any]) {
      if (a === null || distinct.includes(a)) continue;
      distinct.push(a);
      refs.push(span);
      span += align(ANSWER_HEADER + a.body.length);
    }
    const existing = this.#slotOf(key);
    this.#ensure(span, existing < 0 ? 1 : 0);
    const at = this.#used;
    const d8 = this.#data8;
    const d32 = this.#data32;
    const w = at >> 2;
    d32[w] = span;
    d8[at + 4] = key.length;
    d8[at + 5] = typeCount;
    d32[w + 2] = answers.fallback === null ? 0 : refOf(answers.fallback);
    d32[w + 3] = answers.any === null ? 0 : refOf(answers.any);
    for (let i = 0; i < typeCount; i++) {
      d32[w + 4 + 2 * i] = answers.types[i]!;
      d32[w + 5 + 2 * i] = refOf(answers.answers[i]!);
    }
    d8.set(key, at + 16 + 8 * typeCount);
    for (let j = 0; j < distinct.length; j++) {
      const a = distinct[j]!;
      const o = at + refs[j]!;
      d8[o] = a.rcode;
      d8[o + 1] = a.negative ? 1 : 0;
      writeU16(d8, o + 2, a.answerCount);
      writeU16(d8, o + 4, a.authorityCount);
      writeU16(d8, o + 6, a.additionalCount);
      writeU16(d8, o + 8, a.requiredLength);
      writeU16(d8, o + 10, a.body.length);
      d8.set(a.body, o + ANSWER_HEADER);
    }
    this.#used = at + span;
    this.#live += span;
    // #ensure may have moved everything: look the slot up again in the current index.
    const slot = this.#slotOf(key);
    if (slot >= 0) {
      this.#live -= d32[this.#index[slot]! >> 2]!;
      Atomics.store(this.#index, slot, at);
    } else {
      this.#insert(key, at);
    }
  }

  /** Makes room ahead of a bulk load, so the arena does not move again and again while it fills. */
  reserve(bytes: number, names: number): void {
    this.#ensure(bytes, names);
  }

  /** Removes a name. */
  delete(key: Uint8Array): void {
    const slot = this.#slotOf(key);
    if (slot < 0) return;
    this.#live -= this.#data32[this.#index[slot]! >> 2]!;
    Atomics.store(this.#index, slot, DELETED);
    this.#entries--;
    this.#deleted++;
  }

  /** Stores the SOA tail (TYPE … RDATA) that negative answers append. */
  setSoaTail(tail: Uint8Array): void {
    const size = align(4 + tail.length);
    this.#ensure(size, 0);
    const at = this.#used;
    this.#data32[at >> 2] = tail.length;
    this.#data8.set(tail, at + 4);
    this.#used = at + size;
    Atomics.store(this.#data32, H_SOA, at);
  }

  #slotOf(key: Uint8Array): number {
    const mask = this.#index.length - 1;
    for (let slot = hashBytes(key, key.length) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#index[slot]!;
      if (entry === EMPTY) return -1;
      if (entry !== DELETED && this.#keyEquals(entry, key)) return slot;
    }
  }

  #keyEquals(entry: number, key: Uint8Array): boolean {
    if (this.#data8[entry + 4] !== key.length) return false;
    const at = entry + 16 + 8 * this.#data8[entry + 5]!;
    for (let i = 0; i < key.length; i++) if (this.#data8[at + i] !== key[i]) return false;
    return true;
  }

  #insert(key: Uint8Array, at: number): void {
    const mask = this.#index.length - 1;
    let slot = hashBytes(key, key.length) & mask;
    while (this.#index[slot] !== EMPTY && this.#index[slot] !== DELETED) slot = (slot + 1) & mask;
    if (this.#index[slot] === DELETED) this.#deleted--;
    Atomics.store(this.#index, slot, at);
    this.#entries++;
  }

  /**
   * Makes room for `bytes` more and `names` more index entries before anything is written: when they do not
   * fit, the live entries move to fresh buffers (twice what is live, and an index at most half full).
   */
  #ensure(bytes: number, names: number): void {
    const indexFull = (this.#entries + this.#deleted + names) * 2 > this.#index.length;
    if (this.#used + bytes <= this.#data8.length && !indexFull) return;
    // Half as much again as is needed: room to grow without moving often, and little unused memory.
    const dataBytes = Math.max(1 << 20, roundUp(((this.#live + bytes) * 3) / 2 + HEADER + 256, 1 << 16));
    const slots = Math.max(1 << 12, nextPowerOfTwo((this.#entries + names) * 4));
    this.#relocate(dataBytes, slots);
  }

  /**
   * Copies every live entry (and the SOA tail) into fresh buffers, then hands them to the readers. Entries
   * hold only offsets relative to themselves, so a span moves as one block.
   */
  #relocate(dataBytes: number, slots: number): void {
    const old8 = this.#data8;
    const old32 = this.#data32;
    const oldIndex = this.#index;
    this.#buffers = { data: new SharedArrayBuffer(dataBytes), index: new SharedArrayBuffer(slots * 4) };
    this.#data8 = new Uint8Array(this.#buffers.data);
    this.#data32 = new Int32Array(this.#buffers.data);
    this.#index = new Int32Array(this.#buffers.index);
    this.#used = HEADER;
    this.#live = 0;
    this.#entries = 0;
    this.#deleted = 0;
    for (let slot = 0; slot < oldIndex.length; slot++) {
      const entry = oldIndex[slot]!;
      if (entry === EMPTY || entry === DELETED) continue;
      const span = old32[entry >> 2]!;
      const at = this.#used;
      this.#data8.set(old8.subarray(entry, entry + span), at);
      this.#used += span;
      this.#live += span;
      const keyAt = at + 16 + 8 * this.#data8[at + 5]!;
      this.#insert(this.#data8.subarray(keyAt, keyAt + this.#data8[at + 4]!), at);
    }
    const soaAt = old32[H_SOA]!;
    if (soaAt !== 0) {
      const size = align(4 + old32[soaAt >> 2]!);
      const at = this.#used;
      this.#data8.set(old8.subarray(soaAt, soaAt + size), at);
      this.#used = at + size;
      this.#data32[H_SOA] = at;
    }
    this.reader.swap(this.#buffers);
    this.onSwap?.(this.#buffers);
  }
}

function writeU16(d: Uint8Array, at: number, value: number): void {
  d[at] = value & 0xff;
  d[at + 1] = value >> 8;
}

function roundUp(n: number, unit: number): number {
  return Math.ceil(n / unit) * unit;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
