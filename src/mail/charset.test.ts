import { test } from 'node:test';
import assert from 'node:assert/strict';
import { charsetDecoder } from './charset.ts';

test('charsetDecoder: WHATWG labels (latin1 means windows-1252), streaming UTF-8, unknown labels', () => {
  assert.equal(charsetDecoder('ISO-8859-1')?.decode(Buffer.from([0x80, 0xe9]), true), '€é');
  assert.equal(charsetDecoder('us-ascii')?.decode(Buffer.from([0x93, 0x94]), true), '\u201c\u201d');
  const utf8 = charsetDecoder('utf-8')!;
  assert.equal(utf8.decode(Buffer.from([0xc3]), false) + utf8.decode(Buffer.from([0xa9]), true), 'é');
  assert.equal(charsetDecoder('utf-8')?.decode(Buffer.from([0xff]), true), '\ufffd');
  assert.equal(charsetDecoder('x-no-such-charset'), null);
});
