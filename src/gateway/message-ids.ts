import { randomBase32, type RandomSource } from '../core/index.ts';

const ID_LENGTH = 20;
const DRAW_BYTES = 1280;

/**
 * Message ids: 20 lower-case base32 characters (100 random bits), safe in a Message-ID, a VERP local part and a
 * file name. The random bytes are drawn 1,280 at a time rather than 20 per message: one system call per 64 ids.
 */
export class MessageIds {
  readonly #random: RandomSource;
  #pool: Buffer = Buffer.alloc(0);
  #at = 0;

  constructor(random: RandomSource) {
    this.#random = random;
  }

  next(): string {
    return randomBase32({ bytes: (n) => this.#bytes(n) }, ID_LENGTH);
  }

  #bytes(n: number): Buffer {
    if (this.#at + n > this.#pool.length) {
      this.#pool = this.#random.bytes(Math.max(n, DRAW_BYTES));
      this.#at = 0;
    }
    const bytes = this.#pool.subarray(this.#at, this.#at + n);
    this.#at += n;
    return bytes;
  }
}
