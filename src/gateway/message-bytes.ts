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
  /** Whether the body holds bytes above 127 (8BITMIME content). */
  readonly eightBitBody: boolean;
}

const contentError = (text: string): SmtpReply => ({ code: 554, enhanced: '5.6.0', text });

/**
 * Makes every line ending CRLF and checks NUL bytes, line lengths and 8-bit header bytes in one pass.
 * Bare LF and bare CR are taken as line ends (RFC 5321 §2.3.8 forbids them, but many clients send them); making
 * them CRLF before signing means the bytes we sign are the bytes we send, and a bare "\n.\n" inside the data can
 * never become an end-of-data marker downstream (SMTP smuggling).
 */
export function inspectMessage(data: Buffer): Result<InspectedMessage, SmtpReply> {
  let needsRewrite = false;
  let lineStart = 0;
  let lineNumber = 1;
  let headerLength = -1;
  let eightBitHeader = -1;
  let eightBitBody = false;
  const n = data.length;
  for (let i = 0; i < n; i++) {
    const b = data[i]!;
    if (b > 127) {
      if (headerLength < 0) {
        if (eightBitHeader < 0) eightBitHeader = lineNumber;
      } else eightBitBody = true;
      continue;
    }
    if (b >= 32) continue;
    if (b === 0) {
      // RFC 5322 §2.1 and RFC 6152 §2: NUL is not allowed in a message, not even with 8BITMIME.
      return err(contentError(`Line ${lineNumber} contains a NUL byte; messages may not contain NUL.`));
    }
    if (b !== CR && b !== LF) continue;
    const lineLength = i - lineStart;
    if (lineLength > MAX_LINE_LENGTH) return err(tooLong(lineNumber, lineLength));
    if (b === CR) {
      if (i + 1 < n && data[i + 1] === LF) i++;
      else needsRewrite = true;
    } else needsRewrite = true;
    if (headerLength < 0 && lineLength === 0) headerLength = lineStart;
    lineStart = i + 1;
    lineNumber++;
  }
  if (n - lineStart > MAX_LINE_LENGTH) return err(tooLong(lineNumber, n - lineStart));
  if (eightBitHeader > 0) {
    return err(
      contentError(
        `Header line ${eightBitHeader} contains 8-bit bytes; encode them as RFC 2047 encoded-words (this server does not offer SMTPUTF8).`,
      ),
    );
  }
  const bytes = needsRewrite ? toCrlf(data) : data;
  if (headerLength < 0) {
    // No empty line: the whole message is header fields and the body is empty (RFC 5322 §3.5).
    const end = bytes.length;
    const withCrlf = end >= 2 && bytes[end - 2] === CR && bytes[end - 1] === LF;
    const complete = withCrlf ? bytes : Buffer.concat([bytes, Buffer.from('\r\n')]);
    return ok({ bytes: complete, headerLength: complete.length, bodyStart: complete.length, eightBitBody });
  }
  // With a rewrite, the offsets move: find the empty line again in the rewritten bytes.
  const h = needsRewrite ? headerEnd(bytes) : headerLength;
  return ok({ bytes, headerLength: h, bodyStart: Math.min(h + 2, bytes.length), eightBitBody });
}

function tooLong(line: number, length: number): SmtpReply {
  return contentError(
    `Line ${line} is ${length} characters long; RFC 5322 §2.1.1 allows at most ${MAX_LINE_LENGTH}.`,
  );
}

/** Offset of the empty line that ends the header (the CRLF CRLF's second half), in CRLF-only bytes. */
function headerEnd(bytes: Buffer): number {
  if (bytes[0] === CR && bytes[1] === LF) return 0;
  const i = bytes.indexOf('\r\n\r\n');
  return i < 0 ? bytes.length : i + 2;
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
