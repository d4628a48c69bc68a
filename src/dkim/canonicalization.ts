import { createHash, type Hash } from 'node:crypto';
import { endianness } from 'node:os';

/**
 * The "relaxed" canonicalisation of RFC 6376 §3.4.2 (header) and §3.4.4 (body). The body is canonicalised in one
 * pass over its Buffer: a word-at-a-time scan skips the stretches that stay as they are, the canonical bytes are
 * gathered in a scratch buffer, and the hash is fed in 64 KB chunks — no regular expression, no string, and no
 * per-line call into the hash.
 */

const SP = 32;
const TAB = 9;
const CR = 13;
const LF = 10;

/**
 * RFC 6376 §3.4.2 for a field as it appears (`Name: value\r\n`, perhaps folded): the name in lower case with no
 * WSP before the colon; the value unfolded (every CRLF removed), each WSP run made one SP, and no WSP at either
 * end. One pass over the characters, copying the stretches between WSP runs.
 */
export function relaxedHeader(raw: string): string {
  const colon = raw.indexOf(':');
  let nameEnd = colon;
  while (nameEnd > 0 && isWspCode(raw.charCodeAt(nameEnd - 1))) nameEnd--;
  let out = raw.slice(0, nameEnd).toLowerCase() + ':';
  const end = raw.length;
  let from = colon + 1; // raw[from..i) is waiting to be copied unchanged
  let i = from;
  let started = false; // whether any non-WSP character of the value has been copied
  while (i < end) {
    if (!isRunStart(raw, i)) {
      i++;
      continue;
    }
    if (i > from) {
      out += raw.slice(from, i);
      started = true;
    }
    // The run: WSP and CRLF pairs. Unfolding drops the CRLF; the WSP around it is part of the run.
    let j = i;
    let wsp = false;
    while (j < end) {
      const d = raw.charCodeAt(j);
      if (d === SP || d === TAB) {
        wsp = true;
        j++;
      } else if (d === CR && j + 1 < end && raw.charCodeAt(j + 1) === LF) j += 2;
      else break;
    }
    // One SP, unless the run leads or ends the value.
    if (wsp && started && j < end) out += ' ';
    from = j;
    i = j;
  }
  if (i > from) out += raw.slice(from, i);
  return out + '\r\n';
}

function isRunStart(raw: string, i: number): boolean {
  const c = raw.charCodeAt(i);
  return c === SP || c === TAB || (c === CR && i + 1 < raw.length && raw.charCodeAt(i + 1) === LF);
}

function isWspCode(c: number): boolean {
  return c === SP || c === TAB;
}

const SCRATCH_BYTES = 64 * 1024;
/** Shared by every call: relaxedBodyHash runs to its end without yielding, so no two calls use it at once. */
const scratch = Buffer.allocUnsafeSlow(SCRATCH_BYTES);
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * SHA-256 of the relaxed canonical body (RFC 6376 §3.4.4): WSP at line ends dropped, other WSP runs made one SP,
 * empty lines at the end dropped, and a non-empty body ending in exactly one CRLF. `body` is CRLF-only (the
 * gateway makes it so before signing).
 */
export function relaxedBodyHash(body: Buffer): Buffer {
  const hash = createHash('sha256');
  const end = contentEnd(body);
  if (end === 0) return hash.digest(); // an empty body canonicalises to nothing
  hashRelaxedLines(hash, body, end);
  hash.update(CRLF);
  return hash.digest();
}

/** Everything after the last byte that is neither WSP nor CR/LF is trailing whitespace or empty lines. */
function contentEnd(body: Buffer): number {
  let end = body.length;
  while (end > 0) {
    const b = body[end - 1]!;
    if (b !== SP && b !== TAB && b !== CR && b !== LF) break;
    end--;
  }
  return end;
}

/**
 * Feeds the relaxed form of body[0..end) to the hash; body[end - 1] is neither WSP nor CR/LF, so no WSP run
 * reaches `end`.
 */
function hashRelaxedLines(hash: Hash, body: Buffer, end: number): void {
  const scan = new TriggerScan(body, end);
  const out = scratch;
  let o = 0;
  let copied = 0; // body[copied..) is canonical as it stands and not yet gathered
  for (let at = scan.next(0); at < end; at = scan.next(copied)) {
    // body[at] starts a WSP run that changes: a TAB, two WSP in a row, or WSP before the line end.
    const length = at - copied;
    if (o + length + 1 > SCRATCH_BYTES) {
      hash.update(out.subarray(0, o));
      o = 0;
    }
    if (length + 1 > SCRATCH_BYTES) hash.update(body.subarray(copied, at));
    else if (length > 32) o += body.copy(out, o, copied, at);
    else for (let k = copied; k < at; k++) out[o++] = body[k]!;
    let j = at + 1;
    while (j < end && (body[j] === SP || body[j] === TAB)) j++;
    // Inside a line the run becomes one SP; at the line end (CR) it goes. `end` is never inside a run.
    if (body[j] !== CR) out[o++] = SP;
    copied = j;
  }
  if (o > 0) hash.update(out.subarray(0, o));
  if (end > copied) hash.update(body.subarray(copied, end));
}

/**
 * The relaxed body hash (RFC 6376 §3.4.4) of a body that arrives in pieces, split anywhere (inside a WSP run,
 * between CR and LF): the same digest as `relaxedBodyHash` of the pieces joined, in memory bounded by the largest
 * piece. Empty lines at the end of the body are ignored (§3.4.4 rule b, as §3.4.3 for simple), so whatever
 * follows the last byte that is neither WSP nor CR/LF is held back as a count of line ends and a pending WSP run,
 * never as bytes, until more content shows it was not the end. The body is CRLF-only.
 */
export class RelaxedBodyHasher {
  readonly #hash = createHash('sha256');
  /** Line ends since the last content byte, not hashed yet. */
  #lineEnds = 0;
  /** A WSP run after the last line end (or content byte), not hashed yet. */
  #wsp = false;
  /** A CR at the very end of what came so far, its LF still to come. */
  #cr = false;
  #content = false;
  #done = false;

  update(piece: Buffer): this {
    if (this.#done) throw new Error('the body hash is already computed');
    const end = contentEnd(piece);
    if (end === 0) {
      this.#hold(piece, 0);
      return this;
    }
    // The held-back line ends are body lines after all: canonical as they are (empty lines stay inside a body).
    while (this.#lineEnds > 0) {
      const n = Math.min(this.#lineEnds, CRLF_RUN.length / 2);
      this.#hash.update(CRLF_RUN.subarray(0, n * 2));
      this.#lineEnds -= n;
    }
    // A held WSP run joins any WSP this piece starts with; a held CR meets its LF. Both are rescanned with the piece.
    const prefix = this.#cr ? CR_BYTE : this.#wsp ? SP_BYTE : undefined;
    const lines =
      prefix === undefined ? piece.subarray(0, end) : Buffer.concat([prefix, piece.subarray(0, end)]);
    this.#wsp = false;
    this.#cr = false;
    hashRelaxedLines(this.#hash, lines, lines.length);
    this.#content = true;
    this.#hold(piece, end);
    return this;
  }

  /** The SHA-256 of the canonical body: a non-empty body ends in exactly one CRLF, an empty one is nothing. */
  digest(): Buffer {
    this.#done = true;
    if (this.#content) this.#hash.update(CRLF);
    return this.#hash.digest();
  }

  /** Takes piece[from..), which is only WSP, CR and LF, into the held-back state. */
  #hold(piece: Buffer, from: number): void {
    for (let i = from; i < piece.length; i++) {
      const b = piece[i]!;
      if (b === CR) {
        this.#cr = true;
        this.#wsp = false; // WSP at the end of a line goes
      } else if (b === LF) {
        if (this.#cr) this.#lineEnds++;
        this.#cr = false;
      } else this.#wsp = true;
    }
  }
}

const CRLF_RUN = Buffer.from('\r\n'.repeat(4096));
const CR_BYTE = Buffer.from('\r');
const SP_BYTE = Buffer.from(' ');

const CRLF = Buffer.from('\r\n');

/**
 * Finds the next byte that starts a WSP run relaxed canonicalisation changes: a TAB, or an SP followed by SP, TAB
 * or CR. Plain text has an SP every few bytes, so a byte-by-byte loop (or a native search for "  ") mostly sees
 * false starts; this looks at four bytes at a time instead, with exact per-byte tests in 32-bit arithmetic
 * (SWAR), and only falls back to bytes at the ends.
 */
class TriggerScan {
  readonly #body: Buffer;
  readonly #end: number;
  readonly #words: Uint32Array | null;
  /** Offset in `body` of the first aligned word. */
  readonly #wordStart: number;

  constructor(body: Buffer, end: number) {
    this.#body = body;
    this.#end = end;
    const misalignment = body.byteOffset & 3;
    this.#wordStart = misalignment === 0 ? 0 : 4 - misalignment;
    const count = end > this.#wordStart ? (end - this.#wordStart) >> 2 : 0;
    this.#words =
      LITTLE_ENDIAN && count > 2
        ? new Uint32Array(body.buffer, body.byteOffset + this.#wordStart, count)
        : null;
  }

  /** The first trigger at or after `from`, or `end` if there is none. */
  next(from: number): number {
    const body = this.#body;
    const end = this.#end;
    let i = from;
    const words = this.#words;
    if (words !== null) {
      // Bytes until the next word boundary, one at a time.
      const start = this.#wordStart;
      while (i < end && (i < start || ((i - start) & 3) !== 0)) {
        if (isTrigger(body, i)) return i;
        i++;
      }
      // Whole words while the word after the current one is whole too (its first byte is the lookahead).
      const last = words.length - 1;
      const w = (i - start) >> 2;
      if (w < last) {
        const hit = scanWords(words, w, last);
        i = start + (hit << 2);
        if (hit < last) {
          for (let k = 0; k < 3; k++) if (isTrigger(body, i + k)) return i + k;
          return i + 3;
        }
      }
    }
    for (; i < end; i++) if (isTrigger(body, i)) return i;
    return end;
  }
}

/**
 * The index of the first word in words[w..last) that holds a trigger, or `last`. A lane's lookahead is the next
 * lane's SP-TAB-or-CR bit; lane 3 looks at lane 0 of the next word, so words[last] must exist.
 */
function scanWords(words: Uint32Array, w: number, last: number): number {
  let nextFollow = follows(words[w]!);
  for (; w < last; w++) {
    const x = words[w]!;
    const follow = nextFollow;
    nextFollow = follows(words[w + 1]!);
    const after = (follow >>> 8) | (nextFollow << 24);
    if ((lanesEqual(x, 0x09090909) | (lanesEqual(x, 0x20202020) & after)) !== 0) return w;
  }
  return last;
}

function isTrigger(body: Buffer, i: number): boolean {
  const b = body[i];
  if (b === TAB) return true;
  if (b !== SP) return false;
  const n = body[i + 1];
  return n === SP || n === TAB || n === CR;
}

/** 0x80 in every byte lane of `x` equal to the matching lane of `pattern`, else 0 (exact: no carries leak). */
function lanesEqual(x: number, pattern: number): number {
  const t = x ^ pattern;
  return ~(((t & 0x7f7f7f7f) + 0x7f7f7f7f) | 0 | t | 0x7f7f7f7f) & 0x80808080;
}

/** 0x80 in every lane that is SP, TAB or CR: what may follow an SP that changes. */
function follows(x: number): number {
  return lanesEqual(x, 0x20202020) | lanesEqual(x, 0x09090909) | lanesEqual(x, 0x0d0d0d0d);
}
