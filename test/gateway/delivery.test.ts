import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { NewEvent } from '../../src/events/index.ts';
import { startHarness, type Harness } from './harness.ts';

/** Retries on 4xx, bounces on 5xx and on expiry, and the relay port into a smarthost. */

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function api(h: Harness, path: string): Promise<any> {
  const r = await fetch(`${h.node.http}${path}`, { headers: { authorization: `Bearer ${h.apiKey}` } });
  return r.json();
}

test('4xx is retried with backoff until delivered; 5xx bounces at once; endless 4xx expires', async () => {
  const events: NewEvent[] = [];
  let laterTries = 0;
  const h = await startHarness({
    domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
    set: [
      'gateway.retry.firstDelaySeconds=0.1',
      'gateway.retry.factor=2',
      'gateway.retry.expireDays=0.00002',
    ],
    events,
    sinkDecide: (rcpt) => {
      if (rcpt.startsWith('later@') && laterTries++ < 2) return { code: 451, text: '4.2.1 try later' };
      if (rcpt.startsWith('never@')) return { code: 550, text: '5.1.1 no such user' };
      if (rcpt.startsWith('slow@')) return { code: 452, text: '4.2.2 mailbox full' };
      return null;
    },
  });
  try {
    const later = await h.send({ from: 'a@example.com', to: 'later@sink.test', subject: 'x', text: 'x' });
    const never = await h.send({ from: 'a@example.com', to: 'never@sink.test', subject: 'x', text: 'x' });
    const slow = await h.send({ from: 'a@example.com', to: 'slow@sink.test', subject: 'x', text: 'x' });

    const delivered = await until('the deferred message', async () => {
      const t = await api(h, `/v1/messages/${later.id}`);
      return t.message?.status === 'delivered' ? t : undefined;
    });
    assert.deepEqual(
      delivered.attempts.map((a: any) => [a.status, a.code]),
      [
        ['deferred', 451],
        ['deferred', 451],
        ['delivered', 250],
      ],
    );
    assert.match(delivered.attempts[0].reply, /try later/);
    assert.ok(
      Date.parse(delivered.attempts[2].at) - Date.parse(delivered.attempts[0].at) >= 250,
      'backoff 0.1 s + 0.2 s',
    );

    const bounced = await until('the bounce', async () => {
      const t = await api(h, `/v1/messages/${never.id}`);
      return t.message?.status === 'bounced' ? t : undefined;
    });
    assert.deepEqual(
      bounced.attempts.map((a: any) => [a.status, a.code]),
      [['bounced', 550]],
    );

    const expired = await until('the expiry', async () => {
      const t = await api(h, `/v1/messages/${slow.id}`);
      return t.message?.status === 'bounced' ? t : undefined;
    });
    assert.equal(expired.attempts.at(-1).status, 'expired');
    assert.ok(expired.attempts.slice(0, -1).every((a: any) => a.status === 'deferred'));

    const bounces = (await api(h, '/v1/bounces')).bounces;
    assert.deepEqual(
      bounces.map((b: any) => [b.messageId, b.reason, b.code, b.class, b.rule, b.status]).sort(),
      [
        [never.id, 'rejected', 550, 'hard', 'status.bad-mailbox', '5.1.1'],
        [slow.id, 'expired', 452, 'soft', 'text.mailbox-full', '4.2.2'],
      ].sort(),
    );
    const bounceEvents = events.filter((e) => e.type === 'gateway.message.bounced');
    assert.equal(bounceEvents.length, 2);
    assert.deepEqual(bounceEvents.map((e) => (e.data as { class: string }).class).sort(), ['hard', 'soft']);
    assert.ok(
      bounceEvents.every((e) => e.tenantId === h.tenantId && e.domainId === h.domains.get('example.com')!.id),
    );
    assert.equal(h.node.node.services.store.dialect, 'sqlite');
    assert.equal(h.sink.messages.length, 1, 'only the deferred-then-delivered message arrived');

    // /metrics counts the same attempts by outcome.
    const metrics = await (await fetch(`${h.node.http}/metrics`)).text();
    const count = (outcome: string) =>
      Number(
        new RegExp(`^senderd_gateway_delivery_attempts_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(
          metrics,
        )?.[1],
      );
    assert.equal(count('delivered'), 1);
    assert.equal(count('bounced'), 1);
    assert.equal(count('expired'), 1);
    assert.equal(count('deferred'), 2 + expired.attempts.length - 1, "later's two and slow's");
  } finally {
    await h.close();
  }
});

test('relay port: an allow-listed network sends without AUTH, through a smarthost with STARTTLS', async () => {
  const h = await startHarness({
    domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
    set: [
      'gateway.relay.enabled=true',
      'gateway.relay.networks=[{"cidr":"127.0.0.0/8","tenant":"acme"}]',
      'gateway.delivery.mode=smarthost',
      'gateway.delivery.smarthost.host=127.0.0.1',
      'gateway.delivery.smarthost.tls=opportunistic',
    ],
  });
  try {
    const socket = connect(h.port('gateway-relay'), '127.0.0.1');
    const script = [
      'EHLO app.internal',
      'MAIL FROM:<app@example.com>',
      'RCPT TO:<someone@elsewhere.test>',
      'DATA',
      'From: App <app@example.com>\r\nTo: someone@elsewhere.test\r\nSubject: relayed\r\n\r\nHello.\r\n.',
      'QUIT',
    ];
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString()));
    await new Promise((resolve) => socket.once('connect', resolve));
    await until('the greeting', () => Promise.resolve(/^220 /m.test(text) ? true : undefined));
    for (const line of script) {
      const before = (text.match(/^\d{3} /gm) ?? []).length;
      socket.write(line + '\r\n');
      await until(`reply to ${line.slice(0, 10)}`, () =>
        Promise.resolve((text.match(/^\d{3} /gm) ?? []).length > before ? true : undefined),
      );
    }
    socket.destroy();
    assert.match(text, /250 .*queued as [a-z2-7]{20}/);
    const [received] = await h.sink.waitFor(1);
    assert.deepEqual(
      received!.rcptTo,
      ['someone@elsewhere.test'],
      'no MX lookup: everything goes to the smarthost',
    );
    assert.equal(received!.secure, true);
    assert.match(
      received!.data.toString(),
      /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=example\.com;/m,
    );
    assert.match(received!.data.toString(), /with ESMTP id /, 'relayed without TLS or AUTH: protocol ESMTP');
  } finally {
    await h.close();
  }
});
