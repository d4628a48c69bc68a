import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fieldValue,
  headerValue,
  headerValues,
  isFieldName,
  parseHeaderFields,
  readHeaderFields,
} from './header-fields.ts';

test('parseHeaderFields: fields keep their bytes; names are lower case; folding stays in the raw field', () => {
  const header =
    'From: a@example.com\r\nSubject: one\r\n\ttwo\r\nX-Empty:\r\nDKIM-Signature: v=1;\r\n b=x\r\n';
  const parsed = parseHeaderFields(header);
  assert.ok(parsed.ok);
  assert.deepEqual(
    parsed.value.map((f) => [f.name, f.raw]),
    [
      ['from', 'From: a@example.com\r\n'],
      ['subject', 'Subject: one\r\n\ttwo\r\n'],
      ['x-empty', 'X-Empty:\r\n'],
      ['dkim-signature', 'DKIM-Signature: v=1;\r\n b=x\r\n'],
    ],
  );
  assert.equal(parsed.value.map((f) => f.raw).join(''), header);
  assert.deepEqual(parsed.value.map(fieldValue), ['a@example.com', 'one\ttwo', '', 'v=1; b=x']);
});

test('parseHeaderFields: WSP before the colon (RFC 5322 §4.5 obs-optional) is taken and is not part of the name', () => {
  const header = 'From : a@example.com\r\nSubject : hi\r\nX-Tab\t\t: v\r\nTo: b@example.org\r\n';
  const parsed = parseHeaderFields(header);
  assert.ok(parsed.ok);
  assert.deepEqual(
    parsed.value.map((f) => [f.name, f.raw]),
    [
      ['from', 'From : a@example.com\r\n'],
      ['subject', 'Subject : hi\r\n'],
      ['x-tab', 'X-Tab\t\t: v\r\n'],
      ['to', 'To: b@example.org\r\n'],
    ],
  );
});

test('parseHeaderFields: a line that is not part of a field is refused with its line number', () => {
  const cases: Array<[string, { problem: string; line: number }]> = [
    [' folded: first\r\nFrom: a@example.com\r\n', { problem: 'continuation-first', line: 1 }],
    ['From: a@example.com\r\nSub ject: x\r\n', { problem: 'not-a-field', line: 2 }],
    ['From: a@example.com\r\n: x\r\n', { problem: 'not-a-field', line: 2 }],
    ['From: a@example.com\r\nNo colon\r\n', { problem: 'not-a-field', line: 2 }],
    ['From: a@example.com\r\n\r\nTo: b@example.org\r\n', { problem: 'not-a-field', line: 2 }],
    ['From: a@example.com\r\nT\u00e9l: 1\r\n', { problem: 'not-a-field', line: 2 }],
    // The colon of a later line does not make a colon-less line a field.
    ['From: a@example.com\r\nNo colon here\r\nTo: b@example.org\r\n', { problem: 'not-a-field', line: 2 }],
  ];
  for (const [header, problem] of cases) {
    const parsed = parseHeaderFields(header);
    assert.ok(!parsed.ok, JSON.stringify(header));
    assert.deepEqual(parsed.error, problem, JSON.stringify(header));
  }
});

test('readHeaderFields: damaged lines are skipped with their continuations; the rest is read; LF or CRLF', () => {
  const block = [
    ' stray continuation',
    'From: "R" <r@reporter.example>',
    'not a field',
    ' its continuation',
    'Subject: a',
    '  b',
    '',
    'Reported-Domain: example.com',
    'Sub ject: dropped',
    'Reported-Domain : example.org',
  ].join('\n');
  const fields = readHeaderFields(block);
  assert.deepEqual(
    fields.map((f) => [f.name, fieldValue(f)]),
    [
      ['from', '"R" <r@reporter.example>'],
      ['subject', 'a  b'],
      ['reported-domain', 'example.com'],
      ['reported-domain', 'example.org'],
    ],
  );
  assert.equal(headerValue(fields, 'subject'), 'a  b');
  assert.equal(headerValue(fields, 'to'), undefined);
  assert.deepEqual(headerValues(fields, 'reported-domain'), ['example.com', 'example.org']);
  assert.deepEqual(
    readHeaderFields('A: 1\r\nB: 2\r\nC: 3\r\n', 2).map((f) => f.name),
    ['a', 'b'],
  );
});

test('readHeaderFields: a block of colon-less lines is read in linear time', () => {
  const block = 'x\n'.repeat(200_000) + 'Subject: end\n';
  const started = process.hrtime.bigint();
  assert.deepEqual(
    readHeaderFields(block).map((f) => f.name),
    ['subject'],
  );
  // Quadratic scanning would take minutes here; linear takes milliseconds.
  assert.ok(process.hrtime.bigint() - started < 2_000_000_000n);
});

test('isFieldName: printable US-ASCII except the colon (RFC 5322 §3.6.8)', () => {
  for (const name of ['From', 'X-A_b.c', '!#$%&*+/=?^`{|}~', 'a']) assert.ok(isFieldName(name), name);
  for (const name of ['', 'Sub ject', 'A:B', 'T\u00e9l', 'Tab\t']) assert.ok(!isFieldName(name), name);
});
