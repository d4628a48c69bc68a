import {
  ANSWER_HEADER,
  ArenaReader,
  DELETED,
  EMPTY,
  ENTRY_HEADER,
  EntryFlag,
  H_SOA,
  HEADER,
  Kind,
  align,
  hashBytes,
  type AnswerBytes,
  type ArenaBuffers,
  type NameAnswers,
} from './answer-store.ts';

/**
 * Writes the arena (format in answer-store.ts). Only one thread writes: it appends entries, publishes each with
 * an atomic store of its offset, marks what it replaces as stale, and moves the live entries (in their order)
 * to new buffers when the arena fills.
 */

/** The writer's bookkeeping of a name entry (answer-store.ts): never read on the query path. */
export interface EntryMeta {
  readonly owner: number;
  readonly below: number;
  /** EntryFlag.CNAME | EntryFlag.EMBEDS. */
  readonly flags: number;
}

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

  /** Entries stored (names and bookkeeping). */
  get size(): number {
    return this.#entries;
  }

  /** Bytes in use by live entries, bytes written (live and stale), the arena's capacity and index slots. */
  get usage(): { live: number; used: number; capacity: number; slots: number } {
    return { live: this.#live, used: this.#used, capacity: this.#data8.length, slots: this.#index.length };
  }

  /** The live entry of a key (the first `length` bytes of `key`), or 0. */
  find(key: Uint8Array, length = key.length): number {
    const slot = this.#slotOf(key, length);
    return slot < 0 ? 0 : this.#index[slot]!;
  }

  /** Stores (or replaces) the answers of a name, given by its relative folded wire key. Returns the entry. */
  put(key: Uint8Array, answers: NameAnswers, meta: EntryMeta): number {
    // Each distinct answer is stored once (ANY usually is one of the typed answers).
    const distinct: AnswerBytes[] = [];
    const refs: number[] = [];
    const typeCount = answers.types.length;
    let span = align(ENTRY_HEADER + 8 * typeCount + key.length);
    for (const a of answers.answers) span = this.#place(a, distinct, refs, span);
    if (answers.fallback !== null) span = this.#place(answers.fallback, distinct, refs, span);
    if (answers.any !== null) span = this.#place(answers.any, distinct, refs, span);
    const at = this.#begin(key, span, Kind.NAME, typeCount, meta.flags);
    const d8 = this.#data8;
    const d32 = this.#data32;
    const w = at >> 2;
    d32[w + 2] = answers.fallback === null ? 0 : refs[distinct.indexOf(answers.fallback)]!;
    d32[w + 3] = answers.any === null ? 0 : refs[distinct.indexOf(answers.any)]!;
    d32[w + 4] = meta.owner;
    d32[w + 5] = meta.below;
    for (let i = 0; i < typeCount; i++) {
      d32[w + 6 + 2 * i] = answers.types[i]!;
      d32[w + 7 + 2 * i] = refs[distinct.indexOf(answers.answers[i]!)]!;
    }
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
    return this.#publish(key, at, span);
  }

  /** Stores (or replaces) an entry of another kind: a key and opaque bytes. Returns the entry. */
  putPayload(key: Uint8Array, kind: number, payload: Uint8Array): number {
    const payloadAt = align(ENTRY_HEADER + key.length);
    const span = payloadAt + align(payload.length);
    const at = this.#begin(key, span, kind, 0, 0);
    this.#data32[(at >> 2) + 2] = payload.length;
    this.#data8.set(payload, at + payloadAt);
    return this.#publish(key, at, span);
  }

  /** The payload of an entry written by `putPayload` (a view, valid until the next write). */
  payload(entry: number): Uint8Array {
    const at = entry + align(ENTRY_HEADER + this.#data8[entry + 4]!);
    return this.#data8.subarray(at, at + this.#data32[(entry >> 2) + 2]!);
  }

  /** Changes the bookkeeping of a name entry in place (readers of queries never look at it). */
  setMeta(entry: number, owner: number, below: number): void {
    this.#data32[(entry >> 2) + 4] = owner;
    this.#data32[(entry >> 2) + 5] = below;
  }

  /** Removes an entry. */
  delete(key: Uint8Array): void {
    const slot = this.#slotOf(key, key.length);
    if (slot < 0) return;
    const entry = this.#index[slot]!;
    this.#retire(entry);
    Atomics.store(this.#index, slot, DELETED);
    this.#entries--;
    this.#deleted++;
  }

  /** Stores the SOA tail (TYPE … RDATA) that negative answers append. */
  setSoaTail(tail: Uint8Array): void {
    const payloadAt = align(ENTRY_HEADER);
    const span = payloadAt + align(4 + tail.length);
    this.#ensure(span, 0);
    const at = this.#used;
    const previous = this.#data32[H_SOA]!;
    this.#writeHeader(at, span, 0, Kind.TAIL, 0, 0);
    this.#data32[(at >> 2) + 2] = 4 + tail.length;
    this.#data32[(at + payloadAt) >> 2] = tail.length;
    this.#data8.set(tail, at + payloadAt + 4);
    this.#used = at + span;
    this.#live += span;
    Atomics.store(this.#data32, H_SOA, at + payloadAt);
    if (previous !== 0) this.#retire(previous - payloadAt);
  }

  /** Makes room ahead of a bulk load, so the arena does not move again and again while it fills. */
  reserve(bytes: number, names: number): void {
    this.#ensure(bytes, names);
  }

  /**
   * The live entries of a kind, in the order they were written (a copy of their offsets, so the walk is not
   * disturbed by writes made meanwhile; the entries themselves stay readable in `buffers` as they were).
   */
  liveEntries(kind: number): Int32Array {
    const d8 = this.#data8;
    const d32 = this.#data32;
    const live = (at: number) => d8[at + 6] === kind && (d8[at + 7]! & EntryFlag.STALE) === 0;
    let count = 0;
    for (let at = HEADER; at < this.#used; at += d32[at >> 2]!) if (live(at)) count++;
    const out = new Int32Array(count);
    let i = 0;
    for (let at = HEADER; at < this.#used; at += d32[at >> 2]!) if (live(at)) out[i++] = at;
    return out;
  }

  #place(a: AnswerBytes, distinct: AnswerBytes[], refs: number[], span: number): number {
    if (distinct.includes(a)) return span;
    distinct.push(a);
    refs.push(span);
    return span + align(ANSWER_HEADER + a.body.length);
  }

  /** Reserves `span` bytes at the end and writes the entry's header and key; returns its offset. */
  #begin(key: Uint8Array, span: number, kind: number, typeCount: number, flags: number): number {
    const existing = this.#slotOf(key, key.length);
    this.#ensure(span, existing < 0 ? 1 : 0);
    const at = this.#used;
    this.#writeHeader(at, span, key.length, kind, typeCount, flags);
    this.#data8.set(key, at + ENTRY_HEADER + 8 * typeCount);
    return at;
  }

  #writeHeader(
    at: number,
    span: number,
    keyLength: number,
    kind: number,
    types: number,
    flags: number,
  ): void {
    const d8 = this.#data8;
    this.#data32[at >> 2] = span;
    d8[at + 4] = keyLength;
    d8[at + 5] = types;
    d8[at + 6] = kind;
    d8[at + 7] = flags & ~EntryFlag.STALE;
    for (let i = 8; i < ENTRY_HEADER; i++) d8[at + i] = 0;
  }

  /** Publishes a written entry under its key, retiring the one it replaces. */
  #publish(key: Uint8Array, at: number, span: number): number {
    this.#used = at + span;
    this.#live += span;
    // #ensure may have moved everything: look the slot up again in the current index.
    const slot = this.#slotOf(key, key.length);
    if (slot >= 0) {
      this.#retire(this.#index[slot]!);
      Atomics.store(this.#index, slot, at);
    } else {
      this.#insert(key, key.length, at);
    }
    return at;
  }

  #retire(entry: number): void {
    this.#live -= this.#data32[entry >> 2]!;
    this.#data8[entry + 7]! |= EntryFlag.STALE;
  }

  #slotOf(key: Uint8Array, length: number): number {
    const mask = this.#index.length - 1;
    for (let slot = hashBytes(key, length) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#index[slot]!;
      if (entry === EMPTY) return -1;
      if (entry !== DELETED && this.#keyEquals(entry, key, length)) return slot;
    }
  }

  #keyEquals(entry: number, key: Uint8Array, length: number): boolean {
    if (this.#data8[entry + 4] !== length) return false;
    const at = entry + ENTRY_HEADER + 8 * this.#data8[entry + 5]!;
    for (let i = 0; i < length; i++) if (this.#data8[at + i] !== key[i]) return false;
    return true;
  }

  #insert(key: Uint8Array, length: number, at: number): void {
    this.#insertHashed(hashBytes(key, length), at);
  }

  #insertHashed(hash: number, at: number): void {
    const mask = this.#index.length - 1;
    let slot = hash & mask;
    while (this.#index[slot] !== EMPTY && this.#index[slot] !== DELETED) slot = (slot + 1) & mask;
    if (this.#index[slot] === DELETED) this.#deleted--;
    Atomics.store(this.#index, slot, at);
    this.#entries++;
  }

  /**
   * Makes room for `bytes` more and `names` more index entries before anything is written: when they do not
   * fit, the live entries move to fresh buffers (half as much again as is live, and an index at most half full).
   */
  #ensure(bytes: number, names: number): void {
    const indexFull = (this.#entries + this.#deleted + names) * 2 > this.#index.length;
    if (this.#used + bytes <= this.#data8.length && !indexFull) return;
    // Half as much again as is needed: room to grow without moving often. Pages never written are never
    // resident, so the unused part costs address space, not memory. Offsets are 31-bit (the index is an
    // Int32Array): 2 GiB of answers, about 1.5 million sender domains with one published key each.
    const needed = this.#live + bytes + HEADER;
    if (needed > MAX_ARENA)
      throw new Error(`the zone needs ${needed} octets of answers; the arena holds ${MAX_ARENA}`);
    const dataBytes = Math.min(MAX_ARENA, Math.max(1 << 20, roundUp((needed * 3) / 2 + 256, 1 << 16)));
    const slots = Math.max(1 << 12, nextPowerOfTwo((this.#entries + names) * 3));
    this.#relocate(dataBytes, slots);
  }

  /**
   * Copies every live entry into fresh buffers, in the order they were written, then hands them to the readers.
   * Entries hold only offsets relative to themselves, so a span moves as one block.
   */
  #relocate(dataBytes: number, slots: number): void {
    const old8 = this.#data8;
    const old32 = this.#data32;
    const oldUsed = this.#used;
    this.#buffers = { data: new SharedArrayBuffer(dataBytes), index: new SharedArrayBuffer(slots * 4) };
    this.#data8 = new Uint8Array(this.#buffers.data);
    this.#data32 = new Int32Array(this.#buffers.data);
    this.#index = new Int32Array(this.#buffers.index);
    this.#used = HEADER;
    this.#live = 0;
    this.#entries = 0;
    this.#deleted = 0;
    // Live entries are copied in runs (most of the arena is live, so a few large copies), then indexed.
    let runStart = -1;
    const flush = (end: number) => {
      if (runStart < 0) return;
      this.#data8.set(old8.subarray(runStart, end), this.#used);
      this.#used += end - runStart;
      runStart = -1;
    };
    for (let entry = HEADER; entry < oldUsed; entry += old32[entry >> 2]!) {
      if ((old8[entry + 7]! & EntryFlag.STALE) !== 0) flush(entry);
      else if (runStart < 0) runStart = entry;
    }
    flush(oldUsed);
    this.#live = this.#used - HEADER;
    const d8 = this.#data8;
    const d32 = this.#data32;
    for (let at = HEADER; at < this.#used; at += d32[at >> 2]!) {
      if (d8[at + 6] === Kind.TAIL) {
        this.#data32[H_SOA] = at + ENTRY_HEADER;
        continue;
      }
      const keyAt = at + ENTRY_HEADER + 8 * d8[at + 5]!;
      const length = d8[at + 4]!;
      let h = 0x811c9dc5;
      for (let i = 0; i < length; i++) h = Math.imul(h ^ d8[keyAt + i]!, 0x01000193);
      this.#insertHashed(h >>> 0, at);
    }
    this.reader.swap(this.#buffers);
    this.onSwap?.(this.#buffers);
  }
}

/** The most the arena can address: entry offsets are Int32 values in the index. */
const MAX_ARENA = 0x7fff_0000;

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
