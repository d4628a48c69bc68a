import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, waitForTrace } from './harness.ts';
import { session } from './raw-smtp.ts';

/**
 * MAIL and RCPT over a real socket: parameters the gateway does not offer are refused with 555 (RFC 5321
 * §4.1.1.11); without SMTPUTF8 a non-ASCII local part is refused with 553 5.6.7 (RFC 6531 §3.4); an address
 * literal is refused; a U-label recipient domain is delivered by its A-label MX.
 */

test('envelope: unoffered parameters, non-ASCII local parts and address literals are refused; IDN domains are routed', async () => {
  const h = await startHarness({
    domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
    recipientDomains: ['xn--bcher-kva.test'],
  });
  try {
    const c = await session(h);
    try {
      for (const parameter of ['SMTPUTF8', 'REQUIRETLS', 'RET=HDRS', 'ENVID=abc', 'XFOO=1']) {
        const name = parameter.split('=')[0]!;
        assert.equal(
          await c.command(`MAIL FROM:<a@example.com> ${parameter}`),
          `555 5.5.4 The MAIL parameter ${name} is not offered by this server (RFC 5321 section 4.1.1.11).`,
        );
      }
      assert.match(
        await c.command('MAIL FROM:<ä@example.com>'),
        /^553 5\.6\.7 The sender's local part is not ASCII/,
      );
      assert.match(await c.command('MAIL FROM:<a@example.com> SIZE=100 BODY=8BITMIME AUTH=<>'), /^250 /);
      assert.match(
        await c.command('RCPT TO:<bob@sink.test> NOTIFY=NEVER'),
        /^555 5\.5\.4 The RCPT parameter NOTIFY is not offered/,
      );
      assert.match(await c.command('RCPT TO:<bob@sink.test> ORCPT=rfc822;bob@sink.test'), /^555 5\.5\.4 /);
      assert.match(
        await c.command('RCPT TO:<üser@sink.test>'),
        /^553 5\.6\.7 The recipient's local part is not ASCII; that needs SMTPUTF8 \(RFC 6531\)/,
      );
      assert.match(
        await c.command('RCPT TO:<x@[127.0.0.1]>'),
        /^553 5\.1\.2 Address literals \(\[127\.0\.0\.1\]\) are not accepted as recipients; use a domain name\./,
      );
      assert.match(await c.command('RCPT TO:<bob@bücher.test>'), /^250 /);
      assert.match(await c.command('RCPT TO:<carol@xn--bcher-kva.test>'), /^250 /);
      assert.match(await c.command('DATA'), /^354/);
      c.write('From: a@example.com\r\nTo: bob@sink.test\r\nSubject: idn\r\n\r\nBody\r\n');
      const queued = /queued as ([a-z2-7]{20})/.exec(await c.command('.'));
      assert.ok(queued, 'the message is taken');
      // Routed by the A-label MX (the published DNS knows only xn--bcher-kva.test): both delivered.
      const trace = await waitForTrace(h, queued[1]!, 'delivered');
      assert.deepEqual(
        trace.message.recipients.map((r: { address: string }) => r.address),
        ['bob@xn--bcher-kva.test', 'carol@xn--bcher-kva.test'],
      );
    } finally {
      c.close();
    }
    const received = h.sink.messages.flatMap((m) => m.rcptTo).sort();
    // The sink (smtp-server too) shows the domain as U-labels again.
    assert.deepEqual(received, ['bob@bücher.test', 'carol@bücher.test']);
  } finally {
    await h.close();
  }
});
