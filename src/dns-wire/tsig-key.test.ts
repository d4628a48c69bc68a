import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoRandom } from '../core/index.ts';
import { generateTsigSecret, parseTsigKey } from './tsig-key.ts';

const SECRET = Buffer.alloc(32, 7).toString('base64');

test('a key: the name folded, the trailing dot dropped, the secret decoded', () => {
  const key = parseTsigKey('XFR.Example.NET.', 'HMAC-SHA256', SECRET);
  assert.ok(key.ok);
  assert.equal(key.value.name, 'xfr.example.net');
  assert.equal(key.value.algorithm, 'hmac-sha256');
  assert.equal(Buffer.from(key.value.secret).toString('base64'), SECRET);
});

const refused: Array<[string, [string, string, string], RegExp]> = [
  ['HMAC-MD5 (RFC 8945 §6 deprecates it)', ['k', 'hmac-md5', SECRET], /hmac-md5 is refused.*RFC 8945 §6/],
  ['the old MD5 name', ['k', 'hmac-md5.sig-alg.reg.int.', SECRET], /hmac-md5 is refused/],
  ['an unknown algorithm', ['k', 'hmac-sha3', SECRET], /unknown algorithm/],
  ['a secret that is not base64', ['k', 'hmac-sha256', 'not base64!'], /not valid base64/],
  [
    'a secret shorter than the HMAC output',
    ['k', 'hmac-sha256', Buffer.alloc(16).toString('base64')],
    /16 bytes.*at least 32/,
  ],
  ['a SHA-512 key with a 32-byte secret', ['k', 'hmac-sha512', SECRET], /at least 64/],
  ['an empty name', ['', 'hmac-sha256', SECRET], /not a valid key name/],
  ['a label over 63 octets', ['a'.repeat(64), 'hmac-sha256', SECRET], /not a valid key name/],
];
for (const [what, [name, algorithm, secret], message] of refused) {
  test(`refused: ${what}; the message never shows the secret`, () => {
    const key = parseTsigKey(name, algorithm, secret);
    assert.equal(key.ok, false);
    if (key.ok) return;
    assert.match(key.error, message);
    assert.ok(!key.error.includes(secret), 'the secret is not in the message');
  });
}

test('generated secrets are as long as the HMAC output and accepted', () => {
  for (const algorithm of ['hmac-sha256', 'hmac-sha384', 'hmac-sha512'] as const) {
    const secret = generateTsigSecret(cryptoRandom, algorithm);
    const key = parseTsigKey('k.example', algorithm, secret);
    assert.ok(key.ok, algorithm);
    assert.equal(
      key.value.secret.length,
      { 'hmac-sha256': 32, 'hmac-sha384': 48, 'hmac-sha512': 64 }[algorithm],
    );
  }
  assert.notEqual(
    generateTsigSecret(cryptoRandom, 'hmac-sha256'),
    generateTsigSecret(cryptoRandom, 'hmac-sha256'),
  );
});
