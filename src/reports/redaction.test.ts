import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readHeaderFields } from '../mail/index.ts';
import { redactAddresses, redactHeaders } from './redaction.ts';

test('local parts are redacted in every spelling, the domain is kept', () => {
  const cases: Array<[string, string]> = [
    ['john.smith@example.com', '[redacted]@example.com'],
    ['"john smith"@example.com', '[redacted]@example.com'],
    ['<"john.smith"@example.com>', '<[redacted]@example.com>'],
    ['"a\\"b"@example.com', '[redacted]@example.com'],
    ['bob@localhost', '[redacted]@localhost'],
    ['Jöhn.Smith@example.com', '[redacted]@example.com'],
    ['x@[192.0.2.1]', '[redacted]@[192.0.2.1]'],
    ['from a.b by c for <jane+tag@example.org>; Mon', 'from a.b by c for <[redacted]@example.org>; Mon'],
    ['john%example.org@relay.example', '[redacted]@relay.example'],
  ];
  for (const [input, expected] of cases) assert.equal(redactAddresses(input), expected, input);
});

test('address fields lose display names and comments too; other kept fields keep their text', () => {
  const fields = readHeaderFields(
    [
      'From: "John Smith" <john.smith@example.com>',
      'Sender: Jane Doe <jane@example.com>,',
      '  "Doe, John" <j@example.org>',
      'Return-Path: <bounce@example.com>',
      'From: john@example.com (John Smith)',
      'Subject: dropped entirely',
      'Received: from mx.example.com by mx.receiver.example; Mon, 1 Jan 2026 00:00:00 +0000',
    ].join('\r\n'),
  );
  assert.deepEqual(redactHeaders(fields), [
    ['from', '[redacted] <[redacted]@example.com>'],
    ['sender', '[redacted] <[redacted]@example.com>, [redacted] <[redacted]@example.org>'],
    ['return-path', '<[redacted]@example.com>'],
    ['from', '[redacted]@example.com ([redacted])'],
    ['received', 'from mx.example.com by mx.receiver.example; Mon, 1 Jan 2026 00:00:00 +0000'],
  ]);
  for (const [, value] of redactHeaders(fields)) assert.doesNotMatch(value, /john|jane|smith|doe/i);
});
