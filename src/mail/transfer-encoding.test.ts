import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyDecoder, decodeQuotedPrintable, isIdentityEncoding } from './transfer-encoding.ts';

/** Feeds `lines` one at a time, as the MIME parser does, with the line breaks a decoder keeps. */
function decode(encoding: string, lines: string[]): string {
  const decoder = bodyDecoder(encoding);
  assert.ok(decoder, encoding);
  const out: Buffer[] = [];
  for (const [i, line] of lines.entries()) {
    const piece = decoder.write(Buffer.from(line, 'latin1'), true);
    if (piece !== null) out.push(piece);
    if (i < lines.length - 1 && !decoder.softBreak) out.push(Buffer.from('\r\n'));
  }
  const rest = decoder.end();
  if (rest !== null) out.push(rest);
  return Buffer.concat(out).toString('utf8');
}

test('base64 (RFC 2045 §6.8): characters outside the alphabet ignored, groups across lines joined', () => {
  assert.equal(decode('base64', ['cmVw', 'b3J0!', 'IGRh', 'dGE=']), 'report data');
  assert.equal(decode('base64', ['cmVwb3J0']), 'report');
});

test('quoted-printable (RFC 2045 §6.7): escapes, soft line breaks, trailing white space dropped', () => {
  assert.equal(
    decode('quoted-printable', ['caf=C3=A9 and a soft=', ' break  ', 'next']),
    'café and a soft break\r\nnext',
  );
  assert.deepEqual(decodeQuotedPrintable('a=3Db=3d'), Buffer.from('a=b='));
});

test('identity encodings and unknown ones', () => {
  for (const e of ['', '7bit', '8bit', 'binary'])
    assert.ok(isIdentityEncoding(e) && bodyDecoder(e) !== null, e);
  assert.equal(isIdentityEncoding('base64'), false);
  assert.equal(bodyDecoder('x-uuencode'), null);
});
