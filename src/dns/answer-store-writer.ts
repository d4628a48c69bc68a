import {
  ANSWER_HEADER,
  ArenaReader,
  DELETED,
  EMPTY,
  H_SOA,
  HEADER,
  align,
  hashBytes,
  type AnswerBytes,
  type ArenaBuffers,
  type NameAnswers,
} from './answer-store.ts';

/**
 * Writes the arena (format in answer-store.ts). Only one thread writes: it appends entries, publishes each with
 * an atomic store of its offset, and moves the live entries to new buffers when the arena fills.
 */
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
