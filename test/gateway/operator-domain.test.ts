import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewEvent } from '../../src/events/index.ts';
import { startHarness } from './harness.ts';
import { session } from './raw-smtp.ts';

/**
 * RFC 7489 §3.1.2: under relaxed alignment an author domain aligns with any name in its organisational domain. The
 * platform zone here is mail.example.net (bounce domain bounce.mail.example.net), so mail from @example.net that
 * left with the platform's envelope would pass DMARC as the operator. Only the tenant that has verified example.net
 * may send as it; every other tenant is refused before anything is spooled.
 */

async function submit(c: Awaited<ReturnType<typeof session>>, from: string): Promise<string> {
  assert.match(await c.command('MAIL FROM:<x@client.test>'), /^250/);
  assert.match(await c.command('RCPT TO:<bob@sink.test>'), /^250/);
  assert.match(await c.command('DATA'), /^354/);
  c.write(`From: ${from}\r\nTo: bob@sink.test\r\nSubject: hi\r\n\r\nBody\r\n`);
  return c.command('.');
}

test('operator domains: a tenant cannot write as the organisational domain of the platform; its owner can', async () => {
  const events: NewEvent[] = [];
  const h = await startHarness({
    domains: [{ name: 'example.net', keys: [['rsa-sha256', 'sd1']] }],
    set: ['gateway.signing.unmatched=platform', 'gateway.signing.platformDomain=example.net'],
    events,
  });
  try {
    const s = h.node.services;
    const other = await s.accounts.addTenant('other');
    const { credential, password } = await s.smtpCredentials.create(other.id, 'app');
    const intruder = await session(h, { username: credential.username, password });
    try {
      for (const from of ['CEO <ceo@example.net>', 'x@bounce.mail.example.net', 'x@Sub.Example.NET']) {
        assert.match(
          await submit(intruder, from),
          /^554 5\.7\.1 The From domain [a-z.]*example\.net belongs to the organisational domain example\.net of this platform's bounce domain bounce\.mail\.example\.net, .*RFC 7489 section 3\.1\.2/,
          from,
        );
      }
      // Someone else's domain is still taken, and signed as the platform (gateway.signing.unmatched=platform).
      assert.match(await submit(intruder, 'a@other.example'), /^250 .*queued as/);
    } finally {
      intruder.close();
    }
    const owner = await session(h);
    try {
      assert.match(await submit(owner, 'CEO <ceo@example.net>'), /^250 .*queued as/, 'the verified owner');
    } finally {
      owner.close();
    }
    const received = await h.sink.waitFor(2);
    assert.deepEqual(
      received.map((m) => /^From: (.*)$/m.exec(m.data.toString('latin1'))?.[1]),
      ['a@other.example', 'CEO <ceo@example.net>'],
    );
    const refused = events.filter((e) => e.type === 'gateway.signing.operator_domain_refused');
    assert.equal(refused.length, 1, 'one event per tenant and window, not one per message');
    assert.equal(refused[0]!.tenantId, other.id);
    assert.equal(refused[0]!.severity, 'warning');
  } finally {
    await h.close();
  }
});
