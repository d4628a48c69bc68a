import { createHash } from 'node:crypto';

/**
 * The "relaxed" canonicalisation of RFC 6376 §3.4.2 (header) and §3.4.4 (body). Written over Buffers so a 1 MB
 * body is hashed in place: only the few spots where whitespace changes are copied.
 */

const SP = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const CRLF = Buffer.from('\r\n');
const ONE_SPACE = Buffer.from(' ');

/**
 * RFC 6376 §3.4.2: lower-case the name, unfold, turn each run of WSP into one SP, drop WSP at the end of the
 * value and around the colon. `raw` is the field as it appears (`Name: value\r\n`, perhaps folded).
 */
export function relaxedHeader(raw: string): string {
  const colon = raw.indexOf(':');
  const name = raw
    .slice(0, colon)
    .replace(/[ \t]+$/, '')
    .toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ /, '')
    .replace(/ $/, '');
  return `${name}:${value}\r\n`;
}

/**
 * SHA-256 of the relaxed canonical body (RFC 6376 §3.4.4): WSP at line ends dropped, other WSP runs made one SP,
 * empty lines at the end dropped, and a non-empty body ending in exactly one CRLF. `body` is CRLF-only.
 */
export function relaxedBodyHash(body: Buffer): Buffer {
  const hash = createHash('sha256');
  // Everything after the last byte that is neither WSP nor CR/LF is trailing whitespace or empty lines.
  let end = body.length;
  while (end > 0) {
    const b = body[end - 1]!;
    if (b !== SP && b !== TAB && b !== CR && b !== LF) break;
    end--;
  }
  if (end === 0) return hash.digest(); // an empty body canonicalises to nothing
  let copied = 0; // body[copied..i) is waiting to be hashed unchanged
  let i = 0;
  while (i < end) {
    const b = body[i]!;
    if (b !== SP && b !== TAB) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < end && (body[j] === SP || body[j] === TAB)) j++;
    const atLineEnd = j === end || body[j] === CR;
    if (atLineEnd) {
      if (i > copied) hash.update(body.subarray(copied, i));
      copied = j;
    } else if (j - i > 1 || b === TAB) {
      if (i > copied) hash.update(body.subarray(copied, i));
      hash.update(ONE_SPACE);
      copied = j;
    }
    i = j;
  }
  if (end > copied) hash.update(body.subarray(copied, end));
  hash.update(CRLF);
  return hash.digest();
}
