import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { relaxedBodyHash, relaxedHeader } from './dkim-canonicalization.ts';

/** RFC 6376 §3.4.4 written the obvious way, line by line, as the reference for the fast version. */
function referenceRelaxedBody(body: string): string {
  const lines = body.split('\r\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const canon = lines.map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (canon.length > 0 && canon[canon.length - 1] === '') canon.pop();
  return canon.length === 0 ? '' : canon.join('\r\n') + '\r\n';
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
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let n = 0; n < 2000; n++) {
    let body = '';
    const length = next() % 60;
    for (let i = 0; i < length; i++) body += alphabet[next() % alphabet.length];
    assert.equal(
      relaxedBodyHash(Buffer.from(body, 'latin1')).toString('base64'),
      sha(referenceRelaxedBody(body)),
      JSON.stringify(body),
    );
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
