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
  const text = data.toString('base64');
  if (text.length <= BASE64_LINE) return text;
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += BASE64_LINE) lines.push(text.slice(i, i + BASE64_LINE));
  return lines.join(eol);
}

/**
 * Quoted-printable: line breaks in `data` (CRLF or a bare LF) are hard line breaks written as `eol`; "=", controls
 * and 8-bit bytes are escaped (rule 1); white space before a line break is escaped (rule 3); longer lines get soft
 * line breaks (rule 5) that never split an escape.
 */
export function encodeQuotedPrintable(data: Buffer, eol: string): string {
  const out: string[] = [];
  let start = 0;
  while (start <= data.length) {
    let end = data.indexOf(0x0a, start);
    const last = end < 0;
    if (last) end = data.length;
    const lineEnd = !last && end > start && data[end - 1] === 0x0d ? end - 1 : end;
    out.push(encodeQuotedPrintableLine(data, start, lineEnd, eol));
    if (last) break;
    start = end + 1;
  }
  return out.join(eol);
}

function encodeQuotedPrintableLine(data: Buffer, start: number, end: number, eol: string): string {
  let line = '';
  let out = '';
  for (let i = start; i < end; i++) {
    const byte = data[i]!;
    const atEnd = i === end - 1;
    const literal =
      (byte >= 33 && byte <= 126 && byte !== 0x3d) || ((byte === 0x20 || byte === 0x09) && !atEnd);
    const piece = literal ? String.fromCharCode(byte) : '=' + HEX[byte >> 4]! + HEX[byte & 15]!;
    // Room for the piece and, unless it ends the line, the "=" of a soft line break after it.
    const room = atEnd ? QP_LINE : QP_LINE - 1;
    if (line.length + piece.length > room) {
      out += line + '=' + eol;
      line = '';
    }
    line += piece;
  }
  return out + line;
}
