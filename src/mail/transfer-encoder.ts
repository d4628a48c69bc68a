/**
 * Content-Transfer-Encoding encoders (RFC 2045 §6.7 quoted-printable, §6.8 base64), the inverse of
 * transfer-encoding.ts: a part whose decoded body was changed (link rewriting) is written back in the encoding it
 * came in, with the line break the message uses.
 */

const HEX = '0123456789ABCDEF';
/** RFC 2045 §6.7 rule 5: encoded lines are at most 76 characters, the soft line break's "=" included. */
const QP_LINE = 76;
/** RFC 2045 §6.8: encoded lines are at most 76 characters. */
const BASE64_LINE = 76;

/** Base64 in lines of 76 characters joined by `eol`, with no line break after the last line. */
export function encodeBase64(data: Buffer, eol: string): string {
  return encodeBase64Bytes(data, eol).toString('latin1');
}

/** `encodeBase64` as bytes, written into one buffer (no string per line). */
export function encodeBase64Bytes(data: Buffer, eol: string): Buffer {
  const text = data.toString('base64');
  const lines = Math.max(1, Math.ceil(text.length / BASE64_LINE));
  const out = Buffer.allocUnsafe(text.length + (lines - 1) * eol.length);
  let at = 0;
  for (let i = 0; i < text.length; i += BASE64_LINE) {
    if (i > 0) at += out.write(eol, at, 'latin1');
    at += out.write(text.slice(i, i + BASE64_LINE), at, 'latin1');
  }
  return out.subarray(0, at);
}

/**
 * Quoted-printable: line breaks in `data` (CRLF or a bare LF) are hard line breaks written as `eol`; "=", controls
 * and 8-bit bytes are escaped (rule 1); white space before a line break is escaped (rule 3); longer lines get soft
 * line breaks (rule 5) that never split an escape. Written byte by byte into one buffer (this runs on whole parts).
 */
export function encodeQuotedPrintable(data: Buffer, eol: string): string {
  return encodeQuotedPrintableBytes(data, eol).toString('latin1');
}

/** `encodeQuotedPrintable` as bytes: the buffer it was written into, with no string made. */
export function encodeQuotedPrintableBytes(data: Buffer, eol: string): Buffer {
  // The line break's bytes are written here, not copied: a native copy per line cost more than the rest.
  const eolBytes = Buffer.from(eol, 'latin1');
  const eolLength = eolBytes.length;
  // Worst case: every byte escaped (3), plus a soft break ("=" and eol) every 25 bytes, plus hard breaks.
  const out = Buffer.allocUnsafe(data.length * 3 + Math.ceil(data.length / 25) * (1 + eolLength) + 16);
  let at = 0;
  let column = 0;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i]!;
    if (byte === 0x0a || (byte === 0x0d && data[i + 1] === 0x0a)) {
      if (byte === 0x0d) i++;
      for (let j = 0; j < eolLength; j++) out[at++] = eolBytes[j]!;
      column = 0;
      continue;
    }
    const next = data[i + 1];
    const atEnd = next === undefined || next === 0x0a || (next === 0x0d && data[i + 2] === 0x0a);
    const literal =
      (byte >= 33 && byte <= 126 && byte !== 0x3d) || ((byte === 0x20 || byte === 0x09) && !atEnd);
    const width = literal ? 1 : 3;
    // Room for the piece and, unless it ends the line, the "=" of a soft line break after it.
    if (column + width > (atEnd ? QP_LINE : QP_LINE - 1)) {
      out[at++] = 0x3d;
      for (let j = 0; j < eolLength; j++) out[at++] = eolBytes[j]!;
      column = 0;
    }
    if (literal) out[at++] = byte;
    else {
      out[at++] = 0x3d;
      out[at++] = HEX.charCodeAt(byte >> 4);
      out[at++] = HEX.charCodeAt(byte & 15);
    }
    column += width;
  }
  return out.subarray(0, at);
}
