/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) for the short inputs of link tokens, in plain JavaScript with the key's
 * inner and outer states computed once. A rewritten newsletter signs hundreds of tokens; node:crypto's createHmac
 * costs about 2 µs a call, most of it crossing into C++ and making objects (bench:tracking), and this costs about
 * half that: a ~130-byte token is three compressions of the inner hash and one of the outer, with no allocation.
 * link-token.test.ts checks it against createHmac over every length from 0 to past two blocks, and long keys.
 *
 * It is not for secrets that must not leak through timing any more than createHmac is: every operation here is a
 * 32-bit add, shift or bitwise op on values, with no table indexed by secret data.
 */
import { createHash } from 'node:crypto';

/** FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
/** FIPS 180-4 §5.3.3: the initial hash value. */
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const BLOCK = 64;
/** RFC 2104 §2. */
const IPAD = 0x36;
const OPAD = 0x5c;

/** The message schedule, shared: nothing here is reentrant or asynchronous. */
const W = new Int32Array(64);

/** FIPS 180-4 §6.2.2: one 64-byte block of `data` at `at` into `state`. */
function compress(state: Int32Array, data: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4)
    W[i] = (data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!;
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!;
    const y = W[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** FIPS 180-4 §5.1.1: pads the last `rest` bytes (in `tail`) of a `totalBytes` message and hashes them. */
function finish(state: Int32Array, tail: Uint8Array, rest: number, totalBytes: number): void {
  tail.fill(0, rest, 2 * BLOCK);
  tail[rest] = 0x80;
  const end = rest + 9 > BLOCK ? 2 * BLOCK : BLOCK;
  const bits = totalBytes * 8;
  tail[end - 5] = Math.floor(bits / 0x100000000);
  tail[end - 4] = bits >>> 24;
  tail[end - 3] = bits >>> 16;
  tail[end - 2] = bits >>> 8;
  tail[end - 1] = bits;
  compress(state, tail, 0);
  if (end > BLOCK) compress(state, tail, BLOCK);
}

/** Big-endian words of `state` into `out`. */
function writeWords(state: Int32Array, words: number, out: Uint8Array, at: number): void {
  for (let j = 0; j < words; j++) {
    const v = state[j]!;
    out[at + 4 * j] = v >>> 24;
    out[at + 4 * j + 1] = v >>> 16;
    out[at + 4 * j + 2] = v >>> 8;
    out[at + 4 * j + 3] = v;
  }
}

/** One key's HMAC-SHA256, its padded key blocks absorbed once. */
export class HmacSha256 {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);
  /** Bytes of the message already in #inner (after the key block): a prefix given to `continued`. */
  #prefixBytes = 0;
  readonly #state = new Int32Array(8);
  readonly #tail = new Uint8Array(2 * BLOCK);

  constructor(secret: Uint8Array | null) {
    if (secret === null) return;
    // RFC 2104 §2: a key longer than the block is hashed first.
    const key = secret.length > BLOCK ? createHash('sha256').update(secret).digest() : secret;
    const pad = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) pad[i] = (key[i] ?? 0) ^ IPAD;
    this.#inner.set(IV);
    compress(this.#inner, pad, 0);
    for (let i = 0; i < BLOCK; i++) pad[i] = (key[i] ?? 0) ^ OPAD;
    this.#outer.set(IV);
    compress(this.#outer, pad, 0);
    pad.fill(0);
  }

  /**
   * The same key with `prefix` (whole 64-byte blocks) already absorbed: `sign(data)` of the result is the HMAC of
   * prefix || data, at the cost of data alone. For many messages that share a first block or more.
   */
  continued(prefix: Uint8Array): HmacSha256 {
    if (prefix.length % BLOCK !== 0) throw new RangeError('an HMAC prefix is whole 64-byte blocks');
    const next = new HmacSha256(null);
    next.#inner.set(this.#inner);
    next.#outer.set(this.#outer);
    for (let i = 0; i < prefix.length; i += BLOCK) compress(next.#inner, prefix, i);
    next.#prefixBytes = this.#prefixBytes + prefix.length;
    return next;
  }

  /** The first `tagBytes` (at most 32) bytes of HMAC(key, data[start, end)) written into `out` at `at`. */
  sign(data: Uint8Array, start: number, end: number, out: Uint8Array, at: number, tagBytes: number): void {
    const state = this.#state;
    const tail = this.#tail;
    state.set(this.#inner);
    let i = start;
    for (; i + BLOCK <= end; i += BLOCK) compress(state, data, i);
    const rest = end - i;
    for (let j = 0; j < rest; j++) tail[j] = data[i + j]!;
    finish(state, tail, rest, BLOCK + this.#prefixBytes + end - start);
    // The outer hash: H((K ⊕ opad) || inner digest).
    writeWords(state, 8, tail, 0);
    state.set(this.#outer);
    finish(state, tail, 32, BLOCK + 32);
    writeWords(state, Math.ceil(tagBytes / 4), tail, 0);
    for (let j = 0; j < tagBytes; j++) out[at + j] = tail[j]!;
  }
}
