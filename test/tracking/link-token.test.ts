import { createCipheriv, createHmac } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkLinkTokenKeys,
  signLinkToken,
  verifyLinkToken,
  type LinkClaims,
} from '../../src/tracking/index.ts';
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
  // A kind byte we never write is malformed, before any tag is looked at.
  assert.deepEqual(verifyLinkToken(KEYS, bytes.toString('base64url')), { ok: false, error: 'malformed' });
  // Nor in a v1 token under a valid v1 tag.
  const v1 = v1Token(KEYS.current.secret, { ...CLAIMS, kind: 'unsubscribe', url: '', linkIndex: 0 });
  v1[2] = 3;
  assert.deepEqual(verifyLinkToken(KEYS, retagV1(KEYS.current.secret, v1).toString('base64url')), {
    ok: false,
    error: 'malformed',
  });
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

/** A v1 token as made before v2: the tag is HMAC-SHA256 over every byte before it, truncated to 16 bytes. */
function v1Token(secret: Buffer, claims: LinkClaims, keyId = 2): Buffer {
  const message = Buffer.from(claims.messageId);
  const recipient = Buffer.from(claims.recipientId);
  const index =
    claims.linkIndex < 128 ? [claims.linkIndex] : [(claims.linkIndex % 128) | 0x80, claims.linkIndex >> 7];
  const kind = { click: 0, open: 1, unsubscribe: 2 }[claims.kind];
  const payload = Buffer.concat([
    Buffer.from([1, keyId, kind, ...index, message.length]),
    message,
    Buffer.from([recipient.length]),
    recipient,
    Buffer.from(claims.url),
  ]);
  return retagV1(secret, Buffer.concat([payload, Buffer.alloc(16)]));
}

function retagV1(secret: Buffer, token: Buffer): Buffer {
  const payload = token.subarray(0, token.length - 16);
  return Buffer.concat([payload, createHmac('sha256', secret).update(payload).digest().subarray(0, 16)]);
}

/** The v2 tag by the header comment of link-token.ts, with node:crypto's HMAC and AES. */
function v2Tag(secret: Buffer, claims: LinkClaims): Buffer {
  const message = Buffer.from(claims.messageId);
  const recipient = Buffer.from(claims.recipientId);
  const index =
    claims.linkIndex < 128 ? [claims.linkIndex] : [(claims.linkIndex % 128) | 0x80, claims.linkIndex >> 7];
  const kind = { click: 0, open: 1, unsubscribe: 2 }[claims.kind];
  const seal = createHmac('sha256', secret)
    .update(
      Buffer.concat([
        Buffer.from([2, 0, message.length]),
        message,
        Buffer.alloc(64 - 3 - message.length),
        Buffer.from([kind, ...index]),
        Buffer.from(claims.url),
      ]),
    )
    .digest()
    .subarray(0, 16);
  const mask = createHmac('sha256', secret)
    .update(
      Buffer.concat([
        Buffer.from([2, 1, message.length]),
        message,
        Buffer.from([recipient.length]),
        recipient,
      ]),
    )
    .digest();
  const key = createHmac('sha256', secret)
    .update(Buffer.from([2, 2]))
    .digest();
  const cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(seal.map((byte, i) => byte ^ mask[i]!)), cipher.final()]);
}

test('the v2 tag is AES-256 of the link seal (HMAC) masked with the recipient mask (HMAC), also for long secrets', () => {
  for (const secret of [KEYS.current.secret, Buffer.alloc(100, 7), Buffer.alloc(64, 9)]) {
    const keys = { current: { id: 5, secret } };
    for (const claims of [CLAIMS, { ...CLAIMS, kind: 'open' as const, url: '', linkIndex: 0 }]) {
      const bytes = Buffer.from(signLinkToken(keys, claims), 'base64url');
      assert.equal(bytes[0], 2);
      assert.deepEqual(bytes.subarray(bytes.length - 16), v2Tag(secret, claims));
      assert.ok(verifyLinkToken(keys, bytes.toString('base64url')).ok);
    }
  }
});

test('v1 tokens already in mail keep verifying, under the current and a previous key; a forged v1 tag does not', () => {
  for (const [key, keyId] of [
    [KEYS.current.secret, 2],
    [KEYS.previous![0]!.secret, 1],
  ] as const) {
    const old = v1Token(key, CLAIMS, keyId);
    assert.deepEqual(verifyLinkToken(KEYS, old.toString('base64url')), {
      ok: true,
      value: { ...CLAIMS, keyId },
    });
  }
  const forged = v1Token(Buffer.alloc(32, 0x99), { ...CLAIMS, url: 'https://evil.example/' });
  assert.deepEqual(verifyLinkToken(KEYS, forged.toString('base64url')), { ok: false, error: 'bad-tag' });
  // A v2 token relabelled v1, and a v1 token relabelled v2: neither tag is the other's.
  const v2 = Buffer.from(signLinkToken(KEYS, CLAIMS), 'base64url');
  v2[0] = 1;
  assert.deepEqual(verifyLinkToken(KEYS, v2.toString('base64url')), { ok: false, error: 'bad-tag' });
  const v1 = v1Token(KEYS.current.secret, CLAIMS);
  v1[0] = 2;
  assert.deepEqual(verifyLinkToken(KEYS, v1.toString('base64url')), { ok: false, error: 'bad-tag' });
});

/** `token`'s fields with the tag of `donor` (both v2): how a forger would reuse a tag it has seen. */
function withTagOf(token: string, donor: string): string {
  const bytes = Buffer.from(token, 'base64url');
  const tag = Buffer.from(donor, 'base64url').subarray(-16);
  return Buffer.concat([bytes.subarray(0, bytes.length - 16), tag]).toString('base64url');
}

test('a tag seen on one token is no use on any other: other recipient, link, URL, kind or message', () => {
  const mine = signLinkToken(KEYS, CLAIMS);
  const others = [
    { ...CLAIMS, recipientId: 'r-43' },
    { ...CLAIMS, linkIndex: 301 },
    { ...CLAIMS, url: 'https://evil.example/' },
    { ...CLAIMS, url: CLAIMS.url + 'x' },
    { ...CLAIMS, kind: 'open' as const },
    { ...CLAIMS, messageId: 'm-000124' },
  ];
  for (const claims of others) {
    // The other token is genuine; with my tag it is refused, and so is mine with its tag.
    const other = signLinkToken(KEYS, claims);
    assert.ok(verifyLinkToken(KEYS, other).ok);
    assert.deepEqual(
      verifyLinkToken(KEYS, withTagOf(other, mine)),
      { ok: false, error: 'bad-tag' },
      JSON.stringify(claims),
    );
    assert.deepEqual(
      verifyLinkToken(KEYS, withTagOf(mine, other)),
      { ok: false, error: 'bad-tag' },
      JSON.stringify(claims),
    );
  }
});
