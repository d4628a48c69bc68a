/**
 * What a stream of bytes is, from its first bytes alone. Reporters label attachments application/octet-stream,
 * application/x-gzip, text/xml or worse, so the Content-Type is never trusted; the magic numbers are (gzip:
 * RFC 1952 §2.3.1, zip: PKWARE APPNOTE §4.3.7, XML: its first `<`, JSON: its first `{`, a message: a header field
 * per RFC 5322 §2.2, an mbox: its "From " separator line).
 */
import { isFieldName } from '../mail/index.ts';
export type Sniffed = 'gzip' | 'zip' | 'xml' | 'json' | 'message' | 'mbox' | 'empty' | 'unknown';

/** Enough bytes to decide. */
export const SNIFF_LENGTH = 512;

export function sniff(head: Uint8Array): Sniffed {
  if (head.byteLength === 0) return 'empty';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    (head[2] === 3 || head[2] === 5) &&
    (head[3] === 4 || head[3] === 6)
  ) {
    return 'zip';
  }
  // UTF-16 byte order marks: only XML reports come that way.
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'xml';
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.byteLength && isSpace(head[i]!)) i++;
  if (i === head.byteLength) return 'empty';
  const first = head[i]!;
  if (first === 0x3c) return 'xml';
  if (first === 0x7b) return 'json';
  const line = Buffer.from(head.buffer, head.byteOffset + i, Math.min(head.byteLength - i, 200)).toString(
    'latin1',
  );
  if (i === 0 && line.startsWith('From ')) return 'mbox';
  // RFC 5322 §2.2: a message starts with a header field, its name right before a colon (within 76 characters).
  const colon = line.indexOf(':');
  if (colon > 0 && colon <= 76 && isFieldName(line.slice(0, colon))) return 'message';
  return 'unknown';
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}
