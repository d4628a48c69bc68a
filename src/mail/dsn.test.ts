import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { parseDeliveryStatus, readDeliveryStatus } from './dsn.ts';

test('RFC 3464 delivery-status: one failed recipient, folded diagnostic', () => {
  const body = [
    'Reporting-MTA: dns; mx.receiver.example',
    'Arrival-Date: Sun, 22 Nov 2026 10:00:00 +0000',
    '',
    'Final-Recipient: rfc822; Reader@Receiver.example',
    'Action: failed',
    'Status: 5.1.1',
    'Remote-MTA: dns; mx.receiver.example',
    'Diagnostic-Code: smtp; 550 5.1.1 <reader@receiver.example>:',
    '    Recipient address rejected: User unknown',
    '',
  ].join('\r\n');
  assert.deepEqual(parseDeliveryStatus(body), [
    {
      finalRecipient: 'Reader@Receiver.example',
      action: 'failed',
      status: '5.1.1',
      diagnostic: 'smtp; 550 5.1.1 <reader@receiver.example>: Recipient address rejected: User unknown',
      remoteMta: 'mx.receiver.example',
    },
  ]);
});

test('several recipients with different actions; a group without Action is skipped', () => {
  const body =
    'Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822;x@a.example\nAction: delayed\nStatus: 4.4.7\n\nFinal-Recipient: rfc822;y@a.example\nStatus: 5.0.0\n\nOriginal-Recipient: rfc822;z@a.example\nAction: FAILED\nStatus: 5.2.2 (mailbox full)\n';
  assert.deepEqual(
    parseDeliveryStatus(body).map((r) => [r.finalRecipient, r.action, r.status]),
    [
      ['x@a.example', 'delayed', '4.4.7'],
      ['z@a.example', 'failed', '5.2.2'],
    ],
  );
});

test('duplicate fields: the first counts; Remote-MTA loses its type; no Status gives an empty code', () => {
  const body =
    'Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; first@a.example\nFinal-Recipient: rfc822; second@a.example\nAction: failed\nRemote-MTA: dns;mx.a.example\n';
  assert.deepEqual(parseDeliveryStatus(body), [
    {
      finalRecipient: 'first@a.example',
      action: 'failed',
      status: '',
      diagnostic: null,
      remoteMta: 'mx.a.example',
    },
  ]);
});

const dsnMessage = (statusPart: string) =>
  [
    'From: MAILER-DAEMON@mx.receiver.example',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    statusPart,
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    'Subject: hello',
    '--b1--',
    '',
  ].join('\r\n');

function pieces(text: string, size: number): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text);
  const list: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) list.push(bytes.subarray(i, i + size));
  return Readable.from(list);
}

test('readDeliveryStatus: the first message/delivery-status part of a streamed message, however it is cut', async () => {
  const status =
    'Reporting-MTA: dns; mx.receiver.example\r\n\r\nFinal-Recipient: rfc822; reader@receiver.example\r\nAction: failed\r\nStatus: 5.1.1\r\n';
  for (const size of [1, 7, 4096]) {
    const read = await readDeliveryStatus(pieces(dsnMessage(status), size));
    assert.ok(read.ok);
    assert.deepEqual(
      read.value?.map((r) => [r.finalRecipient, r.action, r.status]),
      [['reader@receiver.example', 'failed', '5.1.1']],
      `pieces of ${size}`,
    );
  }
  const autoReply = await readDeliveryStatus(pieces('Subject: out of office\r\n\r\nBack Monday.\r\n', 5));
  assert.deepEqual(autoReply, { ok: true, value: null });
});

test('readDeliveryStatus: a MIME structure past the limits is a problem, and the source is still read to its end', async () => {
  let nested = '';
  for (let i = 0; i < 12; i++) nested += `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`;
  let read = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of pieces(nested + '\r\n' + 'x\r\n'.repeat(1000), 64)) {
      read += chunk.byteLength;
      yield chunk;
    }
  }
  const result = await readDeliveryStatus(counted());
  assert.deepEqual(result, {
    ok: false,
    error: { reason: 'nesting-too-deep', detail: 'MIME parts nested more than 8 deep' },
  });
  assert.equal(read, Buffer.byteLength(nested) + 2 + 3000);
});
