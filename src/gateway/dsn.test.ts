import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDeliveryStatus } from './dsn.ts';

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
