import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextSerial, serialAdd, serialGreater } from './serial.ts';

test('RFC 1982 §3.2 comparisons, wrapping included', () => {
  assert.equal(serialGreater(2, 1), true);
  assert.equal(serialGreater(1, 2), false);
  assert.equal(serialGreater(1, 1), false);
  assert.equal(serialGreater(0, 0xffffffff), true, '0 follows 2^32 - 1');
  assert.equal(serialGreater(0xffffffff, 0), false);
  assert.equal(serialGreater(2 ** 31 - 1, 0), true);
  assert.equal(serialGreater(2 ** 31 + 1, 0), false, 'more than half the space ahead is behind');
  assert.equal(serialAdd(0xffffffff, 1), 0);
});

test('the next serial is the Unix time when ahead, else one more', () => {
  const at = new Date('2026-11-01T00:00:00Z');
  const unix = at.getTime() / 1000;
  assert.equal(nextSerial(null, at), unix);
  assert.equal(nextSerial(unix - 100, at), unix);
  assert.equal(nextSerial(unix, at), unix + 1, 'two changes in one second');
  assert.equal(nextSerial(unix + 50, at), unix + 51, 'a clock that went back never lowers the serial');
  assert.equal(
    nextSerial(2026110100, at),
    2026110101,
    'a date-style serial ahead of Unix time keeps counting',
  );
  assert.equal(nextSerial(0xffffffff, new Date(0)), 0, 'wraps per RFC 1982');
});
