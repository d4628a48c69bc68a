import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness.ts';
import { session } from './raw-smtp.ts';

/** RFC 5321 §4.1.3 and §4.4: a client that came over IPv6 is named `[IPv6:…]` in the Received field we add. */

test('Received: a client over IPv6 (::1) is written as an IPv6 address literal', async () => {
  const h = await startHarness({
    domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
    set: ['gateway.host=::1'],
  });
  try {
    const c = await session(h, h, '::1');
    try {
      assert.match(await c.command('MAIL FROM:<a@example.com>'), /^250 /);
      assert.match(await c.command('RCPT TO:<bob@sink.test>'), /^250 /);
      assert.match(await c.command('DATA'), /^354/);
      c.write('From: a@example.com\r\nTo: bob@sink.test\r\nSubject: v6\r\n\r\nBody\r\n');
      assert.match(await c.command('.'), /^250 .*queued as/);
    } finally {
      c.close();
    }
    const [received] = await h.sink.waitFor(1);
    const first = received!.data.toString('latin1').split('\r\n')[0];
    assert.equal(first, 'Received: from client.test ([IPv6:::1])');
  } finally {
    await h.close();
  }
});
