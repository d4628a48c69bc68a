/**
 * A receiver that accepts a message and sends its DSN (RFC 3464) back at once, before the gateway's periodic trace
 * write (issues 14 and 18): the DSN still finds its message, because the message's trace row (its recipients and
 * their VERP addresses) is in the store before the first delivery attempt. The trace writes are made 3 s apart
 * here, longer than the bounce intake ever looked again, so nothing but that rule can have put the row there in
 * time; the inbound MX answers the DSN only after handling it, so the bounce is read right after, without polling.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { startHarness } from '../gateway/harness.ts';

function dsnFor(verp: string, recipient: string): string {
  return [
    'From: MAILER-DAEMON@mx.sink.test',
    `To: ${verp}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'No such mailbox.',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.sink.test',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    `Diagnostic-Code: smtp; 550 5.1.1 <${recipient}>: mailbox unavailable`,
    '',
    '--b1--',
    '',
  ].join('\r\n');
}

test('a DSN sent the instant the receiver accepted the message finds the message and becomes a bounce', async () => {
  const h = await startHarness({
    domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
    set: ['gateway.trace.flushSeconds=3', 'gateway.trace.messageRowSeconds=3'],
  });
  const inbound = nodemailer.createTransport({
    host: '127.0.0.1',
    port: h.port('inbound'),
    secure: false,
    ignoreTLS: true,
  });
  try {
    const to = 'gone@sink.test';
    const sent = await h.send({ from: 'a@example.com', to, subject: 'bounces at once', text: 'x' });
    // The receiver's side: as soon as the message is in, its DSN goes to the VERP return path.
    const [received] = await h.sink.waitFor(1);
    const verp = received!.mailFrom;
    assert.match(verp, new RegExp(`^b-${sent.id}-0-`), 'a VERP return path naming the message');
    await inbound.sendMail({
      envelope: { from: '', to: verp },
      raw: dsnFor(verp, to),
    });

    const stored = await h.node.services.store.gateway.listBounces(h.tenantId, 10);
    assert.deepEqual(
      stored.map((b) => [b.messageId, b.recipient, b.reason, b.class, b.status]),
      [[sent.id, to, 'dsn', 'hard', '5.1.1']],
    );
  } finally {
    inbound.close();
    await h.close();
  }
});
