import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { RelaxedBodyHasher, relaxedBodyHash, relaxedHeader } from './canonicalization.ts';

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

/** The pieces of `body` cut at the given offsets (sorted, within the body). */
function cut(body: Buffer, at: readonly number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let from = 0;
  for (const to of [...at].sort((a, b) => a - b)) {
    pieces.push(body.subarray(from, to));
    from = to;
  }
  pieces.push(body.subarray(from));
  return pieces;
}

function streamed(pieces: readonly Buffer[]): string {
  const hasher = new RelaxedBodyHasher();
  for (const piece of pieces) hasher.update(piece);
  return hasher.digest().toString('base64');
}

test('streamed relaxed body hash: equals the one-shot hash at every split of the RFC 6376 cases', () => {
  const bodies = [
    '',
    '\r\n\r\n\r\n',
    'abc',
    'a b \t\r\n\r\n \r\n',
    'a  b\t\tc \t d\r\n',
    '  \tindented\r\n',
    ' C \r\nD \t E\r\n\r\n\r\n',
    // Dot-stuffing is undone before the body is hashed: a line of one period is content like any other.
    'x\r\n.\r\n..\r\n \r\n\r\n',
    'end \t \r\n\r\n\r\nmore \r\n\t\r\n',
  ];
  for (const text of bodies) {
    const body = Buffer.from(text, 'latin1');
    const expected = relaxedBodyHash(body).toString('base64');
    // Every single split and every pair of splits, so a CRLF, a WSP run or the trailing empty lines straddle two pieces.
    for (let i = 0; i <= body.length; i++) {
      assert.equal(streamed(cut(body, [i])), expected, `${JSON.stringify(text)} split at ${i}`);
      for (let j = i; j <= body.length; j++) {
        assert.equal(streamed(cut(body, [i, j])), expected, `${JSON.stringify(text)} split at ${i}, ${j}`);
      }
    }
  }
});

test('streamed relaxed body hash: equals the one-shot hash on 3,000 random bodies cut at random places', () => {
  const alphabet = ['a', 'b', ' ', ' ', '\t', '\r\n', '\r\n', '\r\n\r\n', '.', '\r\n.', 'x'];
  const next = randomSource(7);
  for (let n = 0; n < 3000; n++) {
    let text = '';
    const length = next(n < 2500 ? 80 : 3000);
    for (let i = 0; i < length; i++) text += alphabet[next(alphabet.length)];
    const body = Buffer.from(text, 'latin1');
    const cuts = Array.from({ length: next(12) }, () => next(body.length + 1));
    assert.equal(
      streamed(cut(body, cuts)),
      relaxedBodyHash(body).toString('base64'),
      `${JSON.stringify(text)} cut at ${cuts.join(',')}`,
    );
    assert.equal(streamed(cut(body, cuts)), sha(referenceRelaxedBody(text)));
  }
});

test('streamed relaxed body hash: megabytes of trailing empty lines are held as a count, not as bytes', () => {
  const hasher = new RelaxedBodyHasher().update(Buffer.from('text \r\n'));
  const blank = Buffer.from('\r\n \t\r\n'.repeat(64 * 1024));
  for (let i = 0; i < 16; i++) hasher.update(blank);
  assert.equal(hasher.digest().toString('base64'), sha('text\r\n'));
  // Content after them makes them body lines after all.
  const again = new RelaxedBodyHasher().update(Buffer.from('a\r\n'));
  again.update(Buffer.from('\r\n\r\n  ')).update(Buffer.from(' b'));
  assert.equal(again.digest().toString('base64'), sha('a\r\n\r\n\r\n b\r\n'));
});
