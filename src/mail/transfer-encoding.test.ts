import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBase64, encodeQuotedPrintable } from './transfer-encoder.ts';
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

const SAMPLE = Buffer.concat([
  Buffer.from('<a href="https://x.example/?a=1&b=2">caf\u00e9 ', 'utf8'),
  Buffer.from('x'.repeat(200) + ' \t\r\n\r\nline two ends in a space \r\n=3D literal\r\n'),
  Buffer.from([0, 1, 0xff, 0x80]),
  Buffer.from('\nbare LF line'),
]);

test('quoted-printable (RFC 2045 §6.7): round trip, lines within 76, escapes never split, no trailing space', () => {
  const encoded = encodeQuotedPrintable(SAMPLE, '\r\n');
  const expected = Buffer.from(SAMPLE.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
  assert.equal(decode('quoted-printable', encoded.split('\r\n')), expected.toString('utf8'));
  assert.match(encoded, /=00=01=FF=80\r\n/);
  for (const line of encoded.split('\r\n')) {
    assert.ok(line.length <= 76, line);
    assert.doesNotMatch(line, /[ \t]$/);
    assert.doesNotMatch(line, /=[0-9A-F]?=$|=[0-9A-F]$/);
  }
  assert.match(encoded, /^<a href=3D"https:\/\/x\.example\/\?a=3D1&b=3D2">caf=C3=A9 x+=\r\n/);
  assert.match(encoded, /ends in a space=20\r\n=3D3D literal/);
});

test('base64 (RFC 2045 §6.8): lines of 76 joined by the line break given, none after the last', () => {
  const encoded = encodeBase64(SAMPLE, '\n');
  const lines = encoded.split('\n');
  assert.ok(lines.slice(0, -1).every((l) => l.length === 76));
  assert.ok(lines.at(-1)!.length <= 76 && lines.at(-1)!.length > 0);
  assert.ok(Buffer.from(encoded, 'base64').equals(SAMPLE));
  assert.equal(encodeBase64(Buffer.from('abc'), '\r\n'), 'YWJj');
});

test('quoted-printable decoding on bytes equals the rule by rule reading, for lines cut anywhere', () => {
  // The rules as first written, on latin1 strings: the reference the byte decoder must match.
  function reference(pieces: [string, boolean][]): string {
    let carry = '';
    let out = '';
    for (const [piece, complete] of pieces) {
      let text = carry + piece;
      carry = '';
      if (complete) {
        text = text.replace(/[ \t]+$/, '');
        if (text.endsWith('=')) text = text.slice(0, -1);
      } else {
        const cut = text.lastIndexOf('=');
        if (cut >= 0 && cut >= text.length - 2) {
          carry = text.slice(cut);
          text = text.slice(0, cut);
        }
      }
      out += text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
    return out + carry;
  }
  const alphabet = ['=', '=', 'A', 'f', '3', 'g', ' ', '\t', 'x', '\xe9', '=4', '=0D'];
  let seed = 7;
  const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let round = 0; round < 2000; round++) {
    const pieces: [string, boolean][] = [];
    for (let p = next(4) + 1; p > 0; p--) {
      let piece = '';
      for (let c = next(12); c > 0; c--) piece += alphabet[next(alphabet.length)];
      pieces.push([piece, next(2) === 0]);
    }
    const decoder = bodyDecoder('quoted-printable')!;
    const out: Buffer[] = [];
    for (const [piece, complete] of pieces) {
      const bytes = decoder.write(Buffer.from(piece, 'latin1'), complete);
      if (bytes !== null) out.push(bytes);
    }
    const rest = decoder.end();
    if (rest !== null) out.push(rest);
    assert.equal(Buffer.concat(out).toString('latin1'), reference(pieces), JSON.stringify(pieces));
  }
});
