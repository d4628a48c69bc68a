import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectMessage } from './message-bytes.ts';

const ok = (text: string | Buffer) => {
  const r = inspectMessage(Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1'));
  if (!r.ok) throw new Error(r.error.text);
  return r.value;
};
const refusal = (text: string | Buffer) => {
  const r = inspectMessage(Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1'));
  assert.equal(r.ok, false, JSON.stringify(text).slice(0, 80));
  return r.ok ? '' : `${r.error.code} ${r.error.enhanced} ${r.error.text}`;
};

test('line endings become CRLF; the header/body split is found', () => {
  const m = ok('From: a@b.example\nSubject: x\r\rBody\nmore\r\n');
  assert.equal(m.bytes.toString(), 'From: a@b.example\r\nSubject: x\r\n\r\nBody\r\nmore\r\n');
  assert.equal(m.bytes.subarray(0, m.headerLength).toString(), 'From: a@b.example\r\nSubject: x\r\n');
  assert.equal(m.bytes.subarray(m.bodyStart).toString(), 'Body\r\nmore\r\n');
  const headerOnly = ok('From: a@b.example');
  assert.equal(headerOnly.bytes.toString(), 'From: a@b.example\r\n');
  assert.equal(headerOnly.bodyStart, headerOnly.bytes.length);
});

test('refusals: NUL, lines over 998, 8-bit header bytes; 8-bit bodies and 998-character lines pass', () => {
  assert.match(refusal('From: a\r\n\r\nx\0y\r\n'), /^554 5\.6\.0 Line 3 contains a NUL byte/);
  assert.match(refusal(`From: a\r\n\r\n${'x'.repeat(999)}`), /^554 5\.6\.0 Line 3 is 999 characters long/);
  assert.match(refusal(`From: a\r\nSubject: ${'x'.repeat(990)}\r\n\r\n`), /Line 2 is 999 characters/);
  assert.match(
    refusal(Buffer.from('From: a\r\nSubject: \xe9\r\n\r\nx\r\n', 'latin1')),
    /Header line 2 contains 8-bit bytes/,
  );
  ok(`From: a\r\n\r\n${'x'.repeat(998)}\r\n`);
  ok(Buffer.from('From: a\r\n\r\ncaf\xc3\xa9\r\n', 'latin1'));
});
