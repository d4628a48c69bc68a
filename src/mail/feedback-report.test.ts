import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { headerValue } from './header-fields.ts';
import { readFeedbackReport } from './feedback-report.ts';

/** RFC 5965 Appendix B.1 and B.2 and RFC 6591's example, as stalwart's mail-auth keeps them (corpus README). */
const ARF = new URL('../../../shared/corpus/dmarc-reports/stalwart-mail-auth/arf/', import.meta.url);

/** The message in small chunks, as a socket hands it over. */
function chunks(text: string | Buffer, size = 7): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

const read = (text: string | Buffer) => readFeedbackReport(chunks(text));

const report = (fields: string, original: string, originalType = 'message/rfc822', extra = '') =>
  [
    'From: <fbl@receiver.example>',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'A complaint.',
    '--b1',
    'Content-Type: message/feedback-report',
    extra,
    '',
    fields,
    '',
    '--b1',
    `Content-Type: ${originalType}`,
    '',
    original,
    '--b1--',
    '',
  ].join('\r\n');

test('RFC 5965 Appendix B.1: the simple report, with the original message walked into', async () => {
  const r = await read(readFileSync(new URL('001.eml', ARF)));
  assert.ok(r.ok && r.value !== null);
  assert.equal(r.value.wellFormed, true);
  assert.deepEqual(
    [r.value.fields.feedbackType, r.value.fields.userAgent, r.value.fields.version],
    ['abuse', 'SomeGenerator/1.0', '1'],
  );
  assert.deepEqual(r.value.fields.originalRcptTo, []);
  assert.equal(headerValue(r.value.reportHeaders, 'from')?.trim(), '<abusedesk@example.com>');
  assert.equal(
    headerValue(r.value.originalHeaders ?? [], 'message-id')?.trim(),
    '8787KJKJ3K4J3K4J3K4J3.mail@example.net',
  );
});

test('RFC 5965 Appendix B.2: the extended report, every optional field', async () => {
  const r = await read(readFileSync(new URL('002.eml', ARF)));
  assert.ok(r.ok && r.value !== null);
  const f = r.value.fields;
  assert.deepEqual(
    [f.originalMailFrom, f.originalRcptTo, f.arrivalDate, f.reportingMta, f.sourceIp, f.reportedDomain],
    [
      'somespammer@example.net',
      ['user@example.com'],
      'Thu, 8 Mar 2005 14:00:00 EDT',
      'dns; mail.example.com',
      '192.0.2.1',
      ['example.net'],
    ],
  );
  // The example has an empty line after Received: the original header ends there (RFC 5322 §2.1).
  assert.deepEqual(
    (r.value.originalHeaders ?? []).map((h) => h.name.toLowerCase()),
    ['from', 'received'],
  );
});

test('RFC 6591 §B: an auth-failure report with text/rfc822-headers', async () => {
  const r = await read(readFileSync(new URL('005.eml', ARF)));
  assert.ok(r.ok && r.value !== null);
  assert.equal(r.value.fields.feedbackType, 'auth-failure');
  assert.ok((r.value.originalHeaders ?? []).length > 3);
});

test('a base64 message/rfc822 is read as a header block; field values keep first come', async () => {
  const original = Buffer.from('Return-Path: <b-x@bounce.example>\r\nSubject: hi\r\n\r\nbody\r\n').toString(
    'base64',
  );
  const r = await read(
    report(
      'Feedback-Type: Abuse\r\nFeedback-Type: not-spam\r\nUser-Agent: X/1\r\nVersion: 1\r\nIncidents: 3',
      original,
      'message/rfc822\r\nContent-Transfer-Encoding: base64',
    ),
  );
  assert.ok(r.ok && r.value !== null);
  assert.equal(r.value.fields.feedbackType, 'abuse');
  assert.equal(r.value.fields.incidents, 3);
  assert.equal(headerValue(r.value.originalHeaders ?? [], 'return-path')?.trim(), '<b-x@bounce.example>');
});

test('no feedback-report part (an auto-reply, a person): null, not a problem', async () => {
  const r = await read('From: a@b.example\r\nSubject: out of office\r\n\r\nI am away.\r\n');
  assert.deepEqual(r, { ok: true, value: null });
});

test('a report with no original message: fields, and null original headers', async () => {
  const text = [
    'Content-Type: multipart/report; report-type=feedback-report; boundary="b"',
    '',
    '--b',
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    '--b--',
    '',
  ].join('\r\n');
  const r = await read(text);
  assert.ok(r.ok && r.value !== null);
  assert.equal(r.value.originalHeaders, null);
});

test('a truncated report (cut inside the original header) keeps what arrived', async () => {
  const full = report(
    'Feedback-Type: abuse',
    'Return-Path: <b-1@x.example>\r\nMessage-ID: <m@x.example>\r\nSubj',
    'text/rfc822-headers',
  );
  const cut = full.slice(0, full.indexOf('Subj'));
  const r = await read(cut);
  assert.ok(r.ok && r.value !== null);
  assert.equal(headerValue(r.value.originalHeaders ?? [], 'message-id')?.trim(), '<m@x.example>');
});

test('bombs: too many parts and too deep nesting are problems, and the input is still read to its end', async () => {
  const many = [
    'Content-Type: multipart/mixed; boundary="m"',
    '',
    ...Array.from({ length: 100 }, () => '--m\r\nContent-Type: text/plain\r\n\r\nx'),
    '--m--',
    '',
  ].join('\r\n');
  const tooMany = await read(many);
  assert.equal(!tooMany.ok && tooMany.error.reason, 'too-many-parts');

  let deep = 'Content-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n';
  for (let i = 0; i < 20; i++)
    deep = `Content-Type: multipart/mixed; boundary="d${i}"\r\n\r\n--d${i}\r\n${deep}\r\n--d${i}--\r\n`;
  const tooDeep = await read(deep);
  assert.equal(!tooDeep.ok && tooDeep.error.reason, 'nesting-too-deep');

  let consumed = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const c of chunks(many, 64)) {
      consumed += c.length;
      yield c;
    }
  }
  await readFeedbackReport(counted());
  assert.equal(consumed, Buffer.byteLength(many));
});

test('a huge feedback-report part is cut, not held', async () => {
  const r = await read(report(`Feedback-Type: abuse\r\nX-Pad: ${'a'.repeat(200_000)}`, 'Subject: x\r\n'));
  assert.ok(r.ok && r.value !== null);
  assert.equal(r.value.fields.feedbackType, 'abuse');
});
