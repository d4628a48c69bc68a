/**
 * Content-Transfer-Encoding decoders (RFC 2045 §6.7 quoted-printable, §6.8 base64), streaming: they take a body
 * line (or a piece of a very long one) at a time and keep only the few characters that straddle two writes.
 */

export interface BodyDecoder {
  /** True when the line break after the last complete line is not data (base64; a QP soft line break). */
  readonly softBreak: boolean;
  /** `lineComplete` is false for a piece of a line that continues in the next write. */
  write(data: Buffer, lineComplete: boolean): Buffer | null;
  end(): Buffer | null;
}

/** RFC 2045 §6.2: 7bit, 8bit and binary (and no Content-Transfer-Encoding at all) mean no encoding was applied. */
const IDENTITY = new Set(['', '7bit', '8bit', 'binary']);

/** Whether a (lower-case) Content-Transfer-Encoding leaves the bytes as they are. */
export function isIdentityEncoding(encoding: string): boolean {
  return IDENTITY.has(encoding);
}

/** The decoder for a (lower-case) Content-Transfer-Encoding, or null for one RFC 2045 does not define. */
export function bodyDecoder(encoding: string): BodyDecoder | null {
  if (encoding === 'base64') return new Base64Decoder();
  if (encoding === 'quoted-printable') return new QuotedPrintableDecoder();
  return IDENTITY.has(encoding) ? identityDecoder() : null;
}

/** Bytes passed through as they are. */
export function identityDecoder(): BodyDecoder {
  return { softBreak: false, write: (data) => data, end: () => null };
}

const NOT_BASE64 = /[^A-Za-z0-9+/]/g;

export class Base64Decoder implements BodyDecoder {
  readonly softBreak = true;
  #rest = '';

  write(data: Buffer): Buffer | null {
    // §6.8: characters outside the alphabet are ignored; "=" only pads the end.
    const text = this.#rest + data.toString('latin1').replace(NOT_BASE64, '');
    const usable = text.length - (text.length % 4);
    this.#rest = text.slice(usable);
    return usable === 0 ? null : Buffer.from(text.slice(0, usable), 'base64');
  }

  end(): Buffer | null {
    const rest = this.#rest;
    this.#rest = '';
    return rest.length >= 2 ? Buffer.from(rest, 'base64') : null;
  }
}

export class QuotedPrintableDecoder implements BodyDecoder {
  softBreak = false;
  /** The end of an unfinished line that may be the start of an escape ("=" or "=X"), kept for the next write. */
  #carry: Buffer | null = null;

  // Worked on bytes, not strings: a part is decoded a line at a time, and a string per line cost more than the rest.
  write(data: Buffer, lineComplete: boolean): Buffer | null {
    let bytes = this.#carry === null ? data : Buffer.concat([this.#carry, data]);
    this.#carry = null;
    let end = bytes.length;
    if (lineComplete) {
      // §6.7 rule 3: trailing white space is not data; rule 5: a final "=" is a soft line break.
      while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
      this.softBreak = end > 0 && bytes[end - 1] === 0x3d;
      if (this.softBreak) end--;
    } else {
      const cut = bytes.lastIndexOf(0x3d);
      if (cut >= 0 && cut >= end - 2) {
        this.#carry = Buffer.from(bytes.subarray(cut));
        end = cut;
      }
    }
    bytes = bytes.subarray(0, end);
    return decodeEscapes(bytes);
  }

  end(): Buffer | null {
    const rest = this.#carry;
    this.#carry = null;
    return rest;
  }
}

/** `=XX` escapes to bytes, every other byte as it is, in a new buffer (the input may be a parser's, reused). */
function decodeEscapes(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let at = 0;
  const length = bytes.length;
  for (let i = 0; i < length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x3d && i + 2 < length) {
      const high = hexValue(bytes[i + 1]!);
      const low = hexValue(bytes[i + 2]!);
      if (high >= 0 && low >= 0) {
        out[at++] = (high << 4) | low;
        i += 2;
        continue;
      }
    }
    out[at++] = byte;
  }
  return out.subarray(0, at);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** `=XX` escapes to bytes; every other character is one byte (the text was read as latin1). */
export function decodeQuotedPrintable(text: string): Buffer {
  if (!text.includes('=')) return Buffer.from(text, 'latin1');
  return Buffer.from(
    text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
}
