/**
 * The link tokens' own HMAC-SHA256 (src/tracking/hmac-sha256.ts) against node:crypto's createHmac: every message
 * length from 0 to past three blocks (each padding case: the length field in the same block or the next), keys
 * shorter than, equal to and longer than the block, tags of every width, and a tag written into the middle of the
 * buffer it was computed over (as the token signer does), and a state continued after a prefix of whole blocks.
 */
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HmacSha256 } from '../../src/tracking/hmac-sha256.ts';

const bytes = (length: number, seed: number): Buffer =>
  Buffer.from(Array.from({ length }, (_, i) => (i * 131 + seed * 17 + (i >> 3)) & 0xff));

test('equals createHmac for every message length up to 200 bytes and keys of 1 to 200 bytes', () => {
  for (const keyLength of [1, 16, 32, 63, 64, 65, 100, 200]) {
    const key = bytes(keyLength, keyLength);
    const mac = new HmacSha256(key);
    for (let length = 0; length <= 200; length++) {
      const data = bytes(length, length + keyLength);
      const out = Buffer.alloc(32);
      mac.sign(data, 0, length, out, 0, 32);
      const want = createHmac('sha256', key).update(data).digest();
      assert.deepEqual(out, want, `key ${keyLength} bytes, message ${length} bytes`);
    }
  }
});

test('a truncated tag is the digest prefix, and a range of a buffer is read where it lies', () => {
  const key = bytes(32, 1);
  const mac = new HmacSha256(key);
  const buffer = bytes(300, 2);
  for (const [start, end] of [
    [0, 0],
    [5, 60],
    [7, 135],
    [100, 300],
  ] as const) {
    const want = createHmac('sha256', key).update(buffer.subarray(start, end)).digest();
    for (const tagBytes of [1, 4, 15, 16, 17, 32]) {
      const copy = Buffer.from(buffer);
      // The tag goes right after the data, into the same buffer, as the token signer lays it out.
      const at = Math.min(end, copy.length - tagBytes);
      mac.sign(copy, start, end, copy, at, tagBytes);
      assert.deepEqual(
        copy.subarray(at, at + tagBytes),
        want.subarray(0, tagBytes),
        `${start}-${end}/${tagBytes}`,
      );
    }
  }
});

test('a continued state (a prefix of whole blocks absorbed once) equals createHmac of prefix and data', () => {
  const key = bytes(32, 3);
  const mac = new HmacSha256(key);
  for (const blocks of [1, 2, 5]) {
    const prefix = bytes(64 * blocks, blocks);
    const continued = mac.continued(prefix);
    for (const length of [0, 1, 55, 56, 64, 119, 120, 200]) {
      const data = bytes(length, length + 9);
      const out = Buffer.alloc(32);
      continued.sign(data, 0, length, out, 0, 32);
      const want = createHmac('sha256', key).update(prefix).update(data).digest();
      assert.deepEqual(out, want, `${blocks} blocks + ${length} bytes`);
    }
    // Twice continued: two prefixes, one after the other.
    const twice = continued.continued(prefix);
    const out = Buffer.alloc(32);
    twice.sign(prefix, 0, 10, out, 0, 32);
    const want = createHmac('sha256', key)
      .update(prefix)
      .update(prefix)
      .update(prefix.subarray(0, 10))
      .digest();
    assert.deepEqual(out, want);
  }
  assert.throws(() => mac.continued(bytes(10, 1)), /whole 64-byte blocks/);
});
