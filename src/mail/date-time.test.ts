import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateTime, parseDateTime } from './date-time.ts';

test('formatDateTime: RFC 5322 §3.3 in UTC, two-digit day and time fields', () => {
  assert.equal(formatDateTime(new Date(0)), 'Thu, 01 Jan 1970 00:00:00 +0000');
  assert.equal(formatDateTime(new Date('2026-11-03T10:04:05.678Z')), 'Tue, 03 Nov 2026 10:04:05 +0000');
});

test('parseDateTime: what reporters write, comments dropped; null for what names no instant', () => {
  const cases: Array<[string, string | null]> = [
    ['Tue, 03 Nov 2026 10:04:05 +0000', '2026-11-03T10:04:05.000Z'],
    ['Tue, 3 Nov 2026 11:04:05 +0100 (CET)', '2026-11-03T10:04:05.000Z'],
    ['3 Nov 2026 10:04:05 GMT', '2026-11-03T10:04:05.000Z'],
    [formatDateTime(new Date('2026-02-28T23:59:59Z')), '2026-02-28T23:59:59.000Z'],
    ['yesterday', null],
    ['', null],
  ];
  for (const [value, iso] of cases) assert.equal(parseDateTime(value)?.toISOString() ?? null, iso, value);
});
