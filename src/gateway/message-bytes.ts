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
    else if (b > 127) {
      return err(
        contentError(
          `Header line ${line} contains 8-bit bytes; encode them as RFC 2047 encoded-words (this server does not offer SMTPUTF8).`,
        ),
      );
    }
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
  return contentError(`Line ${lineOf(bytes, offset)} contains a NUL byte; messages may not contain NUL.`);
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
