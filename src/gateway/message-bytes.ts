import type { Result } from '../core/index.ts';
import { err, ok } from '../core/index.ts';
import type { SmtpReply } from './smtp-reply.ts';

/**
 * The raw bytes of a submitted message: line endings made canonical, and checked for what RFC 5322 forbids
 * before anything is signed or spooled. Pure: a Buffer in, a Buffer or a reason out.
 */

const CR = 13;
const LF = 10;
/** RFC 5322 §2.1.1: each line must be no more than 998 characters, excluding the CRLF. */
export const MAX_LINE_LENGTH = 998;

export interface InspectedMessage {
  /** The message with every line ending as CRLF. */
  readonly bytes: Buffer;
  /** Offset just past the CRLF of the last header line; the empty line follows, then the body. */
  readonly headerLength: number;
  /** Offset of the first body byte (bytes.length when there is no body). */
  readonly bodyStart: number;
}

const contentError = (text: string): SmtpReply => ({ code: 554, enhanced: '5.6.0', text });

/**
 * Makes every line ending CRLF and checks NUL bytes, line lengths and 8-bit header bytes in one pass.
 * Bare LF and bare CR are taken as line ends (RFC 5321 §2.3.8 forbids them, but many clients send them); making
 * them CRLF before signing means the bytes we sign are the bytes we send, and a bare "\n.\n" inside the data can
 * never become an end-of-data marker downstream (SMTP smuggling).
 */
export function inspectMessage(data: Buffer): Result<InspectedMessage, SmtpReply> {
  // Native searches (memchr) rather than a loop over every byte: a 1 MB message is checked in about a millisecond.
  // The usual message is CRLF-only already: one pass over the CRs proves none is bare, and the pass over the
  // lines below proves no LF is bare; only a message that fails either is rewritten, and then checked again.
  if (hasBareCr(data)) return checkLines(toCrlf(data));
  return checkLines(data, () => checkLines(toCrlf(data)));
}

/** Checks a message; `onBareLf` is called (and its result returned) at the first LF without its CR. */
function checkLines(
  bytes: Buffer,
  onBareLf?: () => Result<InspectedMessage, SmtpReply>,
): Result<InspectedMessage, SmtpReply> {
  let headerLength = -1;
  let lineNumber = 1;
  let start = 0;
  for (;;) {
    // Each LF ends a line (a number needle is a plain memchr); it must have its CR.
    const lf = bytes.indexOf(LF, start);
    if (onBareLf !== undefined && lf >= 0 && (lf === 0 || bytes[lf - 1] !== CR)) return onBareLf();
    const crlf = lf < 0 ? -1 : lf - 1;
    const stop = crlf < 0 ? bytes.length : crlf;
    if (stop - start > MAX_LINE_LENGTH) {
      // A NUL anywhere is the first thing to report, as before the line lengths.
      const nul = bytes.indexOf(0);
      return err(nul >= 0 ? nulError(bytes, nul) : tooLong(lineNumber, stop - start));
    }
    if (crlf < 0) break;
    if (headerLength < 0 && crlf === start) headerLength = start;
    start = crlf + 2;
    lineNumber++;
  }
  const nul = bytes.indexOf(0);
  // RFC 5322 §2.1 and RFC 6152 §2: NUL is not allowed in a message, not even with 8BITMIME.
  if (nul >= 0) return err(nulError(bytes, nul));
  const headerEnd = headerLength < 0 ? bytes.length : headerLength;
  for (let i = 0, line = 1; i < headerEnd; i++) {
    const b = bytes[i]!;
    if (b === LF) line++;
    else if (b > 127) return err(eightBitHeader(line));
  }
  if (headerLength < 0) {
    // No empty line: the whole message is header fields and the body is empty (RFC 5322 §3.5).
    const end = bytes.length;
    const withCrlf = end >= 2 && bytes[end - 2] === CR && bytes[end - 1] === LF;
    const complete = withCrlf ? bytes : Buffer.concat([bytes, Buffer.from('\r\n')]);
    return ok({ bytes: complete, headerLength: complete.length, bodyStart: complete.length });
  }
  return ok({ bytes, headerLength, bodyStart: headerLength + 2 });
}

function nulError(bytes: Buffer, offset: number): SmtpReply {
  return nulOnLine(lineOf(bytes, offset));
}

function nulOnLine(line: number): SmtpReply {
  return contentError(`Line ${line} contains a NUL byte; messages may not contain NUL.`);
}

function eightBitHeader(line: number): SmtpReply {
  return contentError(
    `Header line ${line} contains 8-bit bytes; encode them as RFC 2047 encoded-words (this server does not offer SMTPUTF8).`,
  );
}

/** Whether any CR is not followed by LF. */
function hasBareCr(data: Buffer): boolean {
  for (let p = data.indexOf(CR); p >= 0; p = data.indexOf(CR, p + 2)) if (data[p + 1] !== LF) return true;
  return false;
}

function lineOf(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let p = bytes.indexOf(LF); p >= 0 && p < offset; p = bytes.indexOf(LF, p + 1)) line++;
  return line;
}

function tooLong(line: number, length: number): SmtpReply {
  return contentError(
    `Line ${line} is ${length} characters long; RFC 5322 §2.1.1 allows at most ${MAX_LINE_LENGTH}.`,
  );
}

/** Every CRLF, bare CR and bare LF becomes CRLF. */
function toCrlf(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length * 2);
  let o = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === CR) {
      if (data[i + 1] === LF) i++;
      out[o++] = CR;
      out[o++] = LF;
    } else if (b === LF) {
      out[o++] = CR;
      out[o++] = LF;
    } else out[o++] = b;
  }
  return out.subarray(0, o);
}

/** A message checked while it streamed in: its header block in memory, its body only as a hash and a length. */
export interface StreamedMessage {
  /** The header block, CRLF-only, ending in the CRLF of its last field (the empty line is not part of it). */
  readonly header: Buffer;
  /** SHA-256 of the body under relaxed canonicalisation (RFC 6376 §3.4.4), for the DKIM signatures. */
  readonly relaxedBodyHash: Buffer;
  readonly bodyLength: number;
}

/** What the streamed checks need from the dkim capability: a body hash fed piece by piece. */
export interface BodyHasher {
  update(piece: Buffer): unknown;
  digest(): Buffer;
}

/**
 * `inspectMessage` for a message that arrives in pieces and is never held whole: the same line-end rewriting and
 * the same checks (NUL, lines over 998 characters, 8-bit header bytes; RFC 5322 §2.1, §2.1.1), with the same
 * replies, in memory bounded by the header limit. Each piece goes in as it arrives; out come the body's bytes,
 * CRLF-only, to store. The header block is kept (up to `headerLimit` bytes: a longer one is refused) for the
 * checks of the intake and the DKIM header hash; the body is hashed as it passes.
 */
export class MessageStreamInspector {
  readonly #headerLimit: number;
  readonly #hasher: BodyHasher;
  /** The previous piece ended in a CR whose LF has not been seen. */
  #endedWithCr = false;
  /** The current line: its number and its length so far (a CR at its end included). */
  #line = 1;
  #lineLength = 0;
  #tooLong: { line: number; length: number } | undefined;
  #lineTooLong = false;
  #nulLine = 0;
  #eightBitLine = 0;
  #headerTooLong = false;
  /** The header so far, until the empty line that ends it is found; then the header block alone. */
  #header: Buffer = Buffer.alloc(0);
  #headerDone = false;
  #bodyLength = 0;

  constructor(options: { readonly headerLimit: number; readonly hasher: BodyHasher }) {
    this.#headerLimit = options.headerLimit;
    this.#hasher = options.hasher;
  }

  /** Whether the message will be refused: nothing more needs to be stored. */
  get refused(): boolean {
    return (
      this.#tooLong !== undefined ||
      this.#lineTooLong ||
      this.#nulLine > 0 ||
      this.#eightBitLine > 0 ||
      this.#headerTooLong
    );
  }

  /** Takes the next piece of the message; returns the body bytes in it (none once the message is refused). */
  push(raw: Buffer): Buffer[] {
    const bytes = toCrlfAfter(raw, this.#endedWithCr);
    if (raw.length > 0) this.#endedWithCr = raw[raw.length - 1] === CR;
    return this.#take(bytes);
  }

  /**
   * Ends the message: `tail` is the last body bytes to store (the LF of a bare CR at the very end), `result` the
   * message or the reply that refuses it — the same reply `inspectMessage` gives for the whole message.
   */
  end(): { readonly tail: Buffer[]; readonly result: Result<StreamedMessage, SmtpReply> } {
    const tail = this.#endedWithCr ? this.#take(LF_BYTE) : [];
    this.#endedWithCr = false;
    return { tail, result: this.#result() };
  }

  #result(): Result<StreamedMessage, SmtpReply> {
    if (this.#lineLength > 0) this.#lineEnded(this.#lineLength);
    if (!this.#headerDone && !this.refused) {
      // No empty line: the whole message is header fields, the body empty (RFC 5322 §3.5).
      const h = this.#header;
      const withCrlf = h.length >= 2 && h[h.length - 2] === CR && h[h.length - 1] === LF;
      this.#header = withCrlf ? h : Buffer.concat([h, Buffer.from('\r\n')]);
      this.#headerDone = true;
      this.#checkHeader();
    }
    // The precedence of inspectMessage: a NUL anywhere first, then the first long line, then 8-bit header bytes.
    if (this.#nulLine > 0) return err(nulOnLine(this.#nulLine));
    if (this.#tooLong !== undefined) return err(tooLong(this.#tooLong.line, this.#tooLong.length));
    if (this.#eightBitLine > 0) return err(eightBitHeader(this.#eightBitLine));
    if (this.#headerTooLong) {
      return err(
        contentError(
          `The header block is longer than ${this.#headerLimit} bytes; this server takes at most that much before the empty line that ends it.`,
        ),
      );
    }
    return ok({ header: this.#header, relaxedBodyHash: this.#hasher.digest(), bodyLength: this.#bodyLength });
  }

  /** Checks CRLF-only bytes (perhaps ending in a CR), splits header from body, and hashes the body. */
  #take(bytes: Buffer): Buffer[] {
    if (bytes.length === 0) return [];
    if (this.#nulLine === 0) {
      const nul = bytes.indexOf(0);
      if (nul >= 0) this.#nulLine = this.#line + countLf(bytes, 0, nul);
    }
    let start = 0;
    for (let lf = bytes.indexOf(LF); lf >= 0; lf = bytes.indexOf(LF, lf + 1)) {
      this.#lineEnded(this.#lineLength + (lf - start) - 1);
      this.#line++;
      this.#lineLength = 0;
      start = lf + 1;
    }
    this.#lineLength += bytes.length - start;
    // A line already past 998 characters and a CR will be refused, whatever its end: nothing more to store.
    if (this.#lineLength > MAX_LINE_LENGTH + 1) this.#lineTooLong = true;
    let body = bytes;
    if (this.#headerTooLong) return [];
    if (!this.#headerDone) {
      const from = Math.max(0, this.#header.length - 3);
      const header = this.#header.length === 0 ? bytes : Buffer.concat([this.#header, bytes]);
      const blank = header[0] === CR && header[1] === LF ? -2 : header.indexOf(BLANK_LINE, from);
      if (blank === -1) {
        // Kept as a copy of its own, not a view that would keep a whole piece of the stream alive.
        this.#header = this.#header.length === 0 ? Buffer.from(bytes) : header;
        if (this.#header.length > this.#headerLimit) {
          this.#headerTooLong = true;
          this.#header = Buffer.alloc(0);
        }
        return [];
      }
      const headerLength = blank + 2;
      if (headerLength > this.#headerLimit) {
        this.#headerTooLong = true;
        this.#header = Buffer.alloc(0);
        return [];
      }
      this.#header = Buffer.from(header.subarray(0, headerLength));
      this.#headerDone = true;
      this.#checkHeader();
      body = header.subarray(headerLength + 2);
    }
    if (this.refused || body.length === 0) return [];
    this.#hasher.update(body);
    this.#bodyLength += body.length;
    return [body];
  }

  #lineEnded(length: number): void {
    if (length > MAX_LINE_LENGTH && this.#tooLong === undefined) this.#tooLong = { line: this.#line, length };
  }

  /** RFC 6532 is not offered (no SMTPUTF8): header bytes are ASCII. */
  #checkHeader(): void {
    const h = this.#header;
    for (let i = 0; i < h.length; i++) {
      if (h[i]! > 127) {
        if (this.#eightBitLine === 0) this.#eightBitLine = 1 + countLf(h, 0, i);
        return;
      }
    }
  }
}

const LF_BYTE = Buffer.from('\n');
const BLANK_LINE = Buffer.from('\r\n\r\n');

function countLf(bytes: Buffer, from: number, to: number): number {
  let n = 0;
  for (let p = bytes.indexOf(LF, from); p >= 0 && p < to; p = bytes.indexOf(LF, p + 1)) n++;
  return n;
}

/**
 * One piece of a stream with every line end made CRLF, where the piece before it ended in a CR if `afterCr`.
 * A CR at the end of the piece is left as it is: the next piece shows whether its LF follows. Most pieces are
 * CRLF-only already and come back as they are.
 */
function toCrlfAfter(raw: Buffer, afterCr: boolean): Buffer {
  if (raw.length === 0) return raw;
  let clean = !(afterCr && raw[0] !== LF);
  for (let p = raw.indexOf(CR); clean && p >= 0 && p < raw.length - 1; p = raw.indexOf(CR, p + 1)) {
    if (raw[p + 1] !== LF) clean = false;
  }
  for (let p = raw.indexOf(LF); clean && p >= 0; p = raw.indexOf(LF, p + 1)) {
    if (p === 0 ? !afterCr : raw[p - 1] !== CR) clean = false;
  }
  if (clean) return raw;
  const out = Buffer.allocUnsafe(raw.length * 2 + 1);
  let o = 0;
  let previousCr = afterCr;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (previousCr && b !== LF) out[o++] = LF; // the bare CR before becomes CRLF
    if (b === LF && !previousCr) out[o++] = CR;
    out[o++] = b;
    previousCr = b === CR;
  }
  return out.subarray(0, o);
}
