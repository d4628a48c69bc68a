import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { relaxedBodyHash, relaxedHeader } from './canonicalization.ts';

/** RFC 6376 §3.4.4 written the obvious way, line by line, as the reference for the fast version. */
function referenceRelaxedBody(body: string): string {
  const lines = body.split('\r\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const canon = lines.map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (canon.length > 0 && canon[canon.length - 1] === '') canon.pop();
  return canon.length === 0 ? '' : canon.join('\r\n') + '\r\n';
}

/** RFC 6376 §3.4.2 written with regular expressions, as the reference for the one-pass version. */
function referenceRelaxedHeader(raw: string): string {
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
 * A deterministic pseudo-random source (xorshift32), so a failure can be replayed. Every bit of its state is
 * usable, unlike the low bits of a power-of-two linear congruential generator, which cycle quickly.
 */
function randomSource(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

const sha = (s: string) => createHash('sha256').update(s, 'latin1').digest('base64');

test('relaxed body: the RFC 6376 §3.4.4 cases', () => {
  const cases: Array<[string, string]> = [
    ['empty body hashes to nothing', ''],
    ['only empty lines', '\r\n\r\n\r\n'],
    ['a line without its CRLF', 'abc'],
    ['trailing WSP and empty lines', 'a b \t\r\n\r\n \r\n'],
    ['WSP runs inside a line', 'a  b\t\tc \t d\r\n'],
    ['leading WSP stays (as one SP)', '  \tindented\r\n'],
    ['RFC 6376 §3.4.6 example body', ' C \r\nD \t E\r\n\r\n\r\n'],
  ];
  for (const [what, body] of cases) {
    assert.equal(
      relaxedBodyHash(Buffer.from(body, 'latin1')).toString('base64'),
      sha(referenceRelaxedBody(body)),
      what,
    );
  }
  assert.equal(sha(referenceRelaxedBody(' C \r\nD \t E\r\n\r\n\r\n')), sha(' C\r\nD E\r\n'));
});

test('relaxed body: agrees with the reference on 2,000 random bodies', () => {
  const alphabet = ['a', 'b', ' ', ' ', '\t', '\r\n', '\r\n', '.', 'x'];
  const next = randomSource(42);
  for (let n = 0; n < 2000; n++) {
    let body = '';
    const length = next(60);
    for (let i = 0; i < length; i++) body += alphabet[next(alphabet.length)];
    assert.equal(
      relaxedBodyHash(Buffer.from(body, 'latin1')).toString('base64'),
      sha(referenceRelaxedBody(body)),
      JSON.stringify(body),
    );
  }
});

test('relaxed body: long bodies at every alignment, with and without whitespace to fold', () => {
  // Long enough for the word-at-a-time scan and for more than one 64 KB chunk of the hash; placed at offsets 0-3
  // of its memory, so the scan starts on and off a word boundary.
  const next = randomSource(7);
  const lines = [
    'The quick brown fox jumps over the lazy dog.',
    'a  b\tc \t d   ',
    '\t indented',
    '',
    ' ',
    'x',
    'trailing tab\t',
    'dots. and  spaces .',
  ];
  for (let n = 0; n < 40; n++) {
    let body = '';
    const target = n < 4 ? 200_000 : next(3000);
    while (body.length < target) body += lines[next(lines.length)]! + '\r\n';
    if (n % 5 === 0) body += lines[next(lines.length)]!; // no final CRLF
    const bytes = Buffer.from(body, 'latin1');
    for (let offset = 0; offset < 4; offset++) {
      const placed = Buffer.alloc(bytes.length + offset);
      bytes.copy(placed, offset);
      assert.equal(
        relaxedBodyHash(placed.subarray(offset)).toString('base64'),
        sha(referenceRelaxedBody(body)),
        `body ${n} (${body.length} bytes) at offset ${offset}`,
      );
    }
  }
});

test('relaxed header: agrees with the reference on 2,000 random fields', () => {
  const next = randomSource(99);
  const alphabet = ['a', 'B', ' ', ' ', '\t', '\r\n ', '\r\n\t', ':', ';', '=', '\r'];
  for (let n = 0; n < 2000; n++) {
    let name = ['Subject', 'DKIM-Signature', 'X-A', 'to'][next(4)]!;
    name += [' ', '\t', '', ''][next(4)]!;
    let value = '';
    const length = next(40);
    for (let i = 0; i < length; i++) value += alphabet[next(alphabet.length)];
    const raw = `${name}:${value}\r\n`;
    assert.equal(relaxedHeader(raw), referenceRelaxedHeader(raw), JSON.stringify(raw));
  }
});

test('relaxed header: RFC 6376 §3.4.2 (lower-case name, unfold, compress WSP, no WSP around the colon)', () => {
  assert.equal(
    relaxedHeader('SubJect :  Hello \t there \r\n\t folded  \r\n'),
    'subject:Hello there folded\r\n',
  );
  assert.equal(relaxedHeader('A: X\r\n'), 'a:X\r\n');
  assert.equal(relaxedHeader('B : Y\t\r\n\tZ  \r\n'), 'b:Y Z\r\n'); // the §3.4.6 example
});
