import { labelsOf } from '../dns-wire/index.ts';

/**
 * Writes a DNS message body with name compression (RFC 1035 §4.1.4). The bytes written are meant to sit at
 * `base` in the final message, so pointers can reach names that precede them there (the question's name at
 * offset 12, registered with `knowName`). Pointers can only address the first 16 KiB (14 bits).
 */
export class WireWriter {
  #buf: Buffer;
  #length = 0;
  #base: number;
  /** Lower-case dotted suffix → absolute offset of a copy of that suffix. */
  readonly #names = new Map<string, number>();

  constructor(base = 0, capacity = 512) {
    this.#base = base;
    // Not from Buffer's shared pool: a writer's buffer must not keep unrelated pool slices alive.
    this.#buf = Buffer.allocUnsafeSlow(capacity);
  }

  /** Empties the writer for reuse, keeping its buffer. */
  reset(base = 0): this {
    this.#base = base;
    this.#length = 0;
    this.#names.clear();
    return this;
  }

  get length(): number {
    return this.#length;
  }

  /** Absolute offset (in the final message) of the next byte written. */
  get offset(): number {
    return this.#base + this.#length;
  }

  #reserve(n: number): void {
    if (this.#length + n <= this.#buf.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.#buf.length * 2, this.#length + n));
    this.#buf.copy(grown, 0, 0, this.#length);
    this.#buf = grown;
  }

  u8(value: number): this {
    this.#reserve(1);
    this.#buf[this.#length++] = value & 0xff;
    return this;
  }

  u16(value: number): this {
    this.#reserve(2);
    this.#buf.writeUInt16BE(value & 0xffff, this.#length);
    this.#length += 2;
    return this;
  }

  u32(value: number): this {
    this.#reserve(4);
    this.#buf.writeUInt32BE(value >>> 0, this.#length);
    this.#length += 4;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.#reserve(data.length);
    this.#buf.set(data, this.#length);
    this.#length += data.length;
    return this;
  }

  /** Overwrites a 16-bit value written earlier (an RDLENGTH), at a position relative to this writer. */
  patchU16(at: number, value: number): void {
    this.#buf.writeUInt16BE(value, at);
  }

  /** Tells the writer that `name` is present at absolute `offset` (e.g. the question), for pointers to it. */
  knowName(name: string, offset: number): void {
    const folded = name.toLowerCase();
    let at = offset;
    let start = 0;
    while (start < folded.length && at < 0x4000) {
      const suffix = start === 0 ? folded : folded.slice(start);
      if (!this.#names.has(suffix)) this.#names.set(suffix, at);
      const dot = folded.indexOf('.', start);
      const end = dot < 0 ? folded.length : dot;
      at += 1 + end - start;
      start = end + 1;
    }
  }

  /** Writes a name, compressed against every name written or made known before (if `compress`). */
  name(name: string, compress = true): this {
    const labels = labelsOf(name);
    const folded = compress ? name.toLowerCase() : '';
    let suffixAt = 0;
    for (let i = 0; i < labels.length; i++) {
      const key = compress ? folded.slice(suffixAt) : '';
      suffixAt += labels[i]!.length + 1;
      const known = compress ? this.#names.get(key) : undefined;
      if (known !== undefined) return this.u16(0xc000 | known);
      if (compress && this.offset < 0x4000) this.#names.set(key, this.offset);
      const label = labels[i]!;
      if (label.length === 0 || label.length > 63) throw new Error(`bad label in ${name}`);
      this.#reserve(1 + label.length);
      this.#buf[this.#length] = label.length;
      this.#buf.write(label, this.#length + 1, 'latin1');
      this.#length += 1 + label.length;
    }
    return this.u8(0);
  }

  /** A copy of the bytes written so far. */
  toBuffer(): Buffer {
    return Buffer.from(this.#buf.subarray(0, this.#length));
  }

  /** The bytes written so far, without copying: valid until the writer is written to or reset. */
  view(): Buffer {
    return this.#buf.subarray(0, this.#length);
  }
}
