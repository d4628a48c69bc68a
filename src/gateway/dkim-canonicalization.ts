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
const TWO_SPACES = Buffer.from('  ');
const SPACE_CRLF = Buffer.from(' \r\n');

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
function orInfinity(index: number): number {
  return index < 0 ? Infinity : index;
}

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
  // Only three things change a line: a TAB, two WSP in a row, WSP before the line end. Each is found with a native
  // search (memchr speed); everything between them is hashed as it stands.
  const isWsp = (b: number | undefined) => b === SP || b === TAB;
  let copied = 0; // body[copied..) is waiting to be hashed unchanged
  let nextTab = -1;
  let nextDouble = -1;
  let nextTrailing = -1;
  for (let pos = 0; pos < end;) {
    if (nextTab < pos && nextTab !== Infinity) nextTab = orInfinity(body.indexOf(TAB, pos));
    if (nextDouble < pos && nextDouble !== Infinity) nextDouble = orInfinity(body.indexOf(TWO_SPACES, pos));
    if (nextTrailing < pos && nextTrailing !== Infinity)
      nextTrailing = orInfinity(body.indexOf(SPACE_CRLF, pos));
    const q = Math.min(nextTab, nextDouble, nextTrailing);
    if (q >= end) break;
    let i = q;
    while (i > copied && isWsp(body[i - 1])) i--;
    let j = q + 1;
    while (j < end && isWsp(body[j])) j++;
    if (i > copied) hash.update(body.subarray(copied, i));
    if (j < end && body[j] !== CR) hash.update(ONE_SPACE); // inside a line: the run becomes one SP
    copied = j;
    pos = j;
  }
  if (end > copied) hash.update(body.subarray(copied, end));
  hash.update(CRLF);
  return hash.digest();
}
