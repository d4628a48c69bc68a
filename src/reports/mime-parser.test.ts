import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MimeParser, type MimeEvent } from './mime-parser.ts';
import { isRefusal } from './refusal.ts';

function walk(message: string | Buffer, step = 1 << 20, maxDepth = 16) {
  const raw = Buffer.isBuffer(message) ? message : Buffer.from(message, 'latin1');
  const p = new MimeParser({ maxHeaderBytes: 4096, maxDepth });
  const events: MimeEvent[] = [];
  for (let i = 0; i < raw.length; i += step) events.push(...p.write(raw.subarray(i, i + step)));
  events.push(...p.end());
  const parts = new Map<string, { type: string; data: Buffer[] }>();
  for (const e of events) {
    if (e.type === 'entity')
      parts.set(e.entity.id, { type: `${e.entity.type.mediaType} ${e.entity.kind}`, data: [] });
    if (e.type === 'data') parts.get(e.entity.id)!.data.push(e.data);
  }
  return [...parts].map(
    ([id, p]) => `${id || '-'} ${p.type} ${JSON.stringify(Buffer.concat(p.data).toString('utf8'))}`,
  );
}

const MESSAGE = [
  'From: reporter@example.net',
  'Content-Type: multipart/mixed;',
  '\tboundary="outer"',
  '',
  'preamble, ignored',
  '--outer',
  'Content-Type: text/plain; charset=us-ascii',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'caf=C3=A9 and a soft=',
  ' break',
  '--outer',
  'Content-Type: application/gzip',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('binary\x00 data')
    .toString('base64')
    .replace(/(.{8})/g, '$1\r\n'),
  '--outer',
  'Content-Type: message/rfc822',
  '',
  'Subject: inner',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  '',
  'plain inner',
  '--inner--',
  'epilogue of inner',
  '--outer--',
  'epilogue',
  '',
].join('\r\n');

test('a nested message decodes the same however it is cut', () => {
  const whole = walk(MESSAGE);
  assert.deepEqual(whole, [
    '- multipart/mixed multipart ""',
    '1 text/plain leaf "café and a soft break"',
    '2 application/gzip leaf "binary\\u0000 data"',
    '3 message/rfc822 message ""',
    '3.1 multipart/alternative multipart ""',
    '3.1.1 text/plain leaf "plain inner"',
  ]);
  for (const step of [1, 2, 3, 10, 77]) assert.deepEqual(walk(MESSAGE, step), whole, `pieces of ${step}`);
});

test('RFC 2046 §5.1.1: the line break before a boundary belongs to the boundary', () => {
  const m = 'Content-Type: multipart/mixed; boundary=b\n\n--b\n\nline 1\nline 2\n\n--b--\n';
  assert.deepEqual(walk(m)[1], '1 text/plain leaf "line 1\\nline 2\\n"');
});

test('a boundary of an enclosing part ends the parts inside it; a missing close is noted', () => {
  const m = [
    'Content-Type: multipart/mixed; boundary=a',
    '',
    '--a',
    'Content-Type: multipart/related; boundary=b',
    '',
    '--b',
    '',
    'inside b, never closed',
    '--a',
    '',
    'second part of a',
  ].join('\n');
  assert.deepEqual(walk(m).slice(2), [
    '1.1 text/plain leaf "inside b, never closed"',
    '2 text/plain leaf "second part of a"',
  ]);
});

test('a line longer than any boundary streams through without being held', () => {
  const long = 'x'.repeat(100_000);
  const m = `Content-Type: multipart/mixed; boundary=b\n\n--b\n\n${long}\n--b--\n`;
  const parts = walk(m, 4096);
  assert.equal(parts[1], `1 text/plain leaf ${JSON.stringify(long)}`);
});

test('limits: header size and nesting depth', () => {
  assert.throws(
    () => walk(`Subject: ${'x'.repeat(10_000)}\n\nbody`),
    (e: unknown) => isRefusal(e) && e.reason === 'token_too_long',
  );
  let nested = '';
  for (let i = 0; i < 20; i++) nested += `Content-Type: multipart/mixed; boundary=b${i}\n\n--b${i}\n`;
  assert.throws(
    () => walk(nested + '\nx\n', 1 << 20, 8),
    (e: unknown) => isRefusal(e) && e.reason === 'nesting_too_deep',
  );
});
