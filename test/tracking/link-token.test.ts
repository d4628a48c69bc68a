import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLinkTokenKeys, signLinkToken, verifyLinkToken } from '../../src/tracking/index.ts';
import { KEYS } from './support.ts';

const CLAIMS = {
  kind: 'click' as const,
  messageId: 'm-000123',
  recipientId: 'r-42',
  linkIndex: 300,
  url: 'https://shop.example/ünï?utm_source=news&x=1#top',
};

test('a token verifies back to its claims, and is URL-safe and compact', () => {
  const token = signLinkToken(KEYS, CLAIMS);
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  // 3 head bytes, 2 index, 1+8 message, 1+4 recipient, the URL's bytes, 16 tag bytes, in base64.
  const bytes = 3 + 2 + 9 + 5 + Buffer.byteLength(CLAIMS.url) + 16;
  assert.equal(token.length, Math.ceil((bytes * 4) / 3));
  const verified = verifyLinkToken(KEYS, token);
  assert.deepEqual(verified, { ok: true, value: { ...CLAIMS, keyId: 2 } });
});

test('an open token is not a click token', () => {
  const token = signLinkToken(KEYS, { ...CLAIMS, kind: 'open', url: '', linkIndex: 0 });
  const verified = verifyLinkToken(KEYS, token);
  assert.ok(verified.ok);
  assert.equal(verified.value.kind, 'open');
  assert.equal(verified.value.url, '');
});

test('an unsubscribe token is neither a click nor an open, and an unknown kind byte is refused', () => {
  const token = signLinkToken(KEYS, { ...CLAIMS, kind: 'unsubscribe', url: '', linkIndex: 0 });
  const verified = verifyLinkToken(KEYS, token);
  assert.ok(verified.ok);
  assert.equal(verified.value.kind, 'unsubscribe');
  const bytes = Buffer.from(token, 'base64url');
  bytes[2] = 3;
  // A kind byte we never write, even under a valid tag, is malformed (the tag is checked first, so re-tag it).
  const payload = bytes.subarray(0, bytes.length - 16);
  const retagged = Buffer.concat([
    payload,
    createHmac('sha256', KEYS.current.secret).update(payload).digest().subarray(0, 16),
  ]);
  assert.deepEqual(verifyLinkToken(KEYS, retagged.toString('base64url')), { ok: false, error: 'malformed' });
});

test('every changed, cut or added byte is refused: no open redirect', () => {
  const token = signLinkToken(KEYS, CLAIMS);
  const bytes = Buffer.from(token, 'base64url');
  for (let i = 0; i < bytes.length; i++) {
    const changed = Buffer.from(bytes);
    changed[i]! ^= 0x01;
    const verified = verifyLinkToken(KEYS, changed.toString('base64url'));
    assert.equal(verified.ok, false, `byte ${i} flipped`);
  }
  for (let n = 0; n < bytes.length; n++) {
    assert.equal(verifyLinkToken(KEYS, bytes.subarray(0, n).toString('base64url')).ok, false, `cut to ${n}`);
    assert.equal(verifyLinkToken(KEYS, token.slice(0, n)).ok, false, `cut to ${n} characters`);
  }
  assert.equal(verifyLinkToken(KEYS, token + 'A').ok, false);
  assert.equal(
    verifyLinkToken(
      KEYS,
      token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
    ).ok,
    false,
  );
});

test('a token with the URL swapped for another under a forged tag is refused', () => {
  const evil = signLinkToken(
    { current: { id: 2, secret: Buffer.alloc(32, 0x99) } },
    { ...CLAIMS, url: 'https://evil.example/' },
  );
  assert.deepEqual(verifyLinkToken(KEYS, evil), { ok: false, error: 'bad-tag' });
});

test('malformed tokens get a reason, never an exception', () => {
  for (const bad of ['', '!!!', 'a b', 'AAAA', 'x'.repeat(20000)])
    assert.equal(verifyLinkToken(KEYS, bad).ok, false, bad.slice(0, 10));
  const v9 = Buffer.from(signLinkToken(KEYS, CLAIMS), 'base64url');
  v9[0] = 9;
  assert.deepEqual(verifyLinkToken(KEYS, v9.toString('base64url')), {
    ok: false,
    error: 'unsupported-version',
  });
});

test('key rotation: tokens of a previous key verify until it leaves the ring', () => {
  const old = signLinkToken({ current: KEYS.previous![0]! }, CLAIMS);
  const verified = verifyLinkToken(KEYS, old);
  assert.ok(verified.ok);
  assert.equal(verified.value.keyId, 1);
  assert.deepEqual(verifyLinkToken({ current: KEYS.current }, old), { ok: false, error: 'unknown-key' });
});

test('bad keys and claims are refused where they are given', () => {
  assert.throws(() => checkLinkTokenKeys({ current: { id: 1, secret: Buffer.alloc(16) } }), /32 bytes/);
  assert.throws(() => checkLinkTokenKeys({ current: { id: 256, secret: Buffer.alloc(32) } }), /0-255/);
  assert.throws(() => checkLinkTokenKeys({ current: KEYS.current, previous: [KEYS.current] }), /used twice/);
  assert.throws(() => signLinkToken(KEYS, { ...CLAIMS, recipientId: 'ann@example.com' }), /opaque/);
  assert.throws(() => signLinkToken(KEYS, { ...CLAIMS, messageId: '' }), /1-255/);
  assert.throws(() => signLinkToken(KEYS, { ...CLAIMS, linkIndex: -1 }), /whole number/);
});

test('the tag is HMAC-SHA256 (RFC 2104) truncated to 16 bytes, also for a secret longer than the hash block', () => {
  for (const secret of [KEYS.current.secret, Buffer.alloc(100, 7), Buffer.alloc(64, 9)]) {
    const keys = { current: { id: 5, secret } };
    const bytes = Buffer.from(signLinkToken(keys, CLAIMS), 'base64url');
    const payload = bytes.subarray(0, bytes.length - 16);
    const expected = createHmac('sha256', secret).update(payload).digest().subarray(0, 16);
    assert.deepEqual(bytes.subarray(bytes.length - 16), expected);
    assert.ok(verifyLinkToken(keys, bytes.toString('base64url')).ok);
  }
});
