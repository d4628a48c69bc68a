import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { ManualClock } from '../../src/core/index.ts';
import { httpWebhookTransport, verifyWebhookSignature } from '../../src/events/index.ts';
import { openServices } from '../../src/main.ts';
import { corpusPublicSuffixes, tempDir, testConfig } from '../support/node.ts';

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A real webhook receiver on 127.0.0.1, port 0, that fails the first `failures` requests with HTTP 503. */
async function receiver(failures: number) {
  const received: Received[] = [];
  let seen = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen++;
      if (seen <= failures) {
        res.writeHead(503).end();
        return;
      }
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/senderd`,
    received,
    requests: () => seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const event = (tenantId: string) => ({
  tenantId,
  domainId: null,
  type: 'dkim.key.activated',
  severity: 'info' as const,
  message: 'example.com: the rsa key in selector sd2 now signs mail.',
  data: { selector: 'sd2' },
});

test('webhooks are signed with HMAC-SHA256 and retried with exponential backoff', async () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-05-01T00:00:00Z');
  const hook = await receiver(2);
  // The receiver listens on 127.0.0.1, so this test opts in to private webhook addresses.
  const s = await openServices(
    testConfig(dir.path, ['events.retryBase=30s', 'events.allowPrivateWebhooks=true']),
    {
      clock,
      publicSuffixes: corpusPublicSuffixes(),
    },
  );
  try {
    const tenant = await s.accounts.addTenant('acme');
    const { webhookSecret } = await s.events.setNotifications(tenant.id, { webhookUrl: hook.url });
    assert.match(webhookSecret ?? '', /^whsec_[a-z2-7]{32}$/);
    assert.equal((await s.events.notifications(tenant.id)).webhookSecretSet, true);
    assert.ok(!('webhookSecret' in (await s.events.notifications(tenant.id))), 'the secret is shown once');
    await s.events.emit(event(tenant.id));
    const [stored] = await s.events.list(tenant.id);

    assert.equal(await s.delivery.runOnce(), 1); // 503
    let [d] = await s.store.events.deliveriesOf(stored!.id);
    assert.deepEqual(
      [d!.status, d!.attempts, d!.lastError],
      ['pending', 1, 'the receiver answered HTTP 503'],
    );
    assert.equal(Date.parse(d!.nextAttemptAt) - clock.now().getTime(), 30_000);
    assert.equal(await s.delivery.runOnce(), 0, 'nothing is due before the backoff ends');
    clock.advance(30_000);
    assert.equal(await s.delivery.runOnce(), 1); // 503 again
    [d] = await s.store.events.deliveriesOf(stored!.id);
    assert.equal(Date.parse(d!.nextAttemptAt) - clock.now().getTime(), 60_000, 'the wait doubles');
    clock.advance(60_000);
    assert.equal(await s.delivery.runOnce(), 1);
    [d] = await s.store.events.deliveriesOf(stored!.id);
    assert.deepEqual([d!.status, d!.attempts], ['delivered', 3]);

    assert.equal(hook.received.length, 1);
    const got = hook.received[0]!;
    const signature = String(got.headers['senderd-signature']);
    const now = Math.floor(clock.now().getTime() / 1000);
    assert.ok(verifyWebhookSignature(signature, got.body, webhookSecret!, now), 'the signature verifies');
    assert.ok(
      !verifyWebhookSignature(signature, got.body.replace('sd2', 'sd3'), webhookSecret!, now),
      'a changed body fails',
    );
    assert.ok(
      !verifyWebhookSignature(signature, got.body, webhookSecret!, now + 3600),
      'an old signature is refused',
    );
    const body = JSON.parse(got.body) as { id: string; type: string; message: string };
    assert.deepEqual([body.id, body.type], [stored!.id, 'dkim.key.activated']);
    assert.equal(got.headers['senderd-event-id'], stored!.id);
  } finally {
    await s.close();
    await hook.close();
    dir.remove();
  }
});

test('a notification queued before a restart is delivered after it (the outbox is durable)', async () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-05-01T00:00:00Z');
  const config = testConfig(dir.path, ['events.allowPrivateWebhooks=true']);
  const hook = await receiver(0);
  const first = await openServices(config, { clock, publicSuffixes: corpusPublicSuffixes() });
  try {
    const tenantId = (await first.accounts.addTenant('acme')).id;
    await first.events.setNotifications(tenantId, { webhookUrl: hook.url });
    await first.events.emit(event(tenantId)); // queued; the process "stops" before delivering
  } finally {
    await first.close();
  }
  assert.equal(hook.requests(), 0);
  const second = await openServices(config, { clock, publicSuffixes: corpusPublicSuffixes() });
  try {
    assert.equal(await second.delivery.runOnce(), 1);
    assert.equal(hook.received.length, 1);
    assert.equal(await second.delivery.runOnce(), 0, 'delivered once, not again');
  } finally {
    await second.close();
    await hook.close();
    dir.remove();
  }
});

test('events are delivered by e-mail through the configured SMTP server', async () => {
  const messages: string[] = [];
  const smtp = new SMTPServer({
    disableReverseLookup: true,
    authOptional: true,
    // The sink has only a self-signed certificate; the client would rightly refuse it.
    hideSTARTTLS: true,
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  const dir = tempDir();
  const clock = new ManualClock('2026-05-01T00:00:00Z');
  const s = await openServices(
    testConfig(dir.path, [
      'events.email.enabled=true',
      'events.email.host=127.0.0.1',
      `events.email.port=${port}`,
    ]),
    { clock, publicSuffixes: corpusPublicSuffixes() },
  );
  try {
    const tenant = await s.accounts.addTenant('acme');
    await s.events.setNotifications(tenant.id, { emailTo: ['ops@example.org'], minSeverity: 'warning' });
    await s.events.emit(event(tenant.id)); // info: stored, not mailed
    await s.events.emit({
      ...event(tenant.id),
      type: 'dkim.signing.unavailable',
      severity: 'critical',
      message: 'No key can sign.',
    });
    assert.equal(await s.delivery.runOnce(), 1);
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /Subject: \[senderd\] CRITICAL: dkim\.signing\.unavailable/);
    assert.match(messages[0]!, /To: ops@example\.org/);
    assert.match(messages[0]!, /From: senderd@mail\.example\.net/);
    assert.match(messages[0]!, /No key can sign\./);
    assert.equal((await s.events.list(tenant.id)).length, 2, 'both events are listed');
  } finally {
    await s.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    dir.remove();
  }
});

test('by default a webhook URL on a private or local address is refused when it is saved', async () => {
  const dir = tempDir();
  const s = await openServices(testConfig(dir.path), { publicSuffixes: corpusPublicSuffixes() });
  try {
    const tenant = await s.accounts.addTenant('ssrf');
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:8080/admin',
      'https://[::1]/x',
      // Issue 14 item 3: documentation, NAT64 and 6to4 forms are refused too (RFC 6890's registries).
      'http://192.0.2.2/hook',
      'https://[64:ff9b::a9fe:a9fe]/latest/meta-data/',
      'https://[2002:a9fe:a9fe::1]/x',
    ]) {
      await assert.rejects(
        s.events.setNotifications(tenant.id, { webhookUrl: url }),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'validation_failed');
          assert.match(error.message, /public addresses only/);
          return true;
        },
      );
    }
    const ok = await s.events.setNotifications(tenant.id, {
      webhookUrl: 'https://hooks.example.com/senderd',
    });
    assert.equal(ok.webhookUrl, 'https://hooks.example.com/senderd');
  } finally {
    await s.close();
    dir.remove();
  }
});

test('a test event goes to every channel whatever the minimum severity, and the latest deliveries say how it went', async () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-05-01T00:00:00Z');
  const hook = await receiver(0);
  // The receiver listens on 127.0.0.1; e-mail is not configured, so the e-mail delivery waits and says why.
  const s = await openServices(testConfig(dir.path, ['events.allowPrivateWebhooks=true']), {
    clock,
    publicSuffixes: corpusPublicSuffixes(),
  });
  try {
    const tenant = await s.accounts.addTenant('acme');
    const other = await s.accounts.addTenant('other');
    await assert.rejects(s.events.sendTest(tenant.id), /nowhere to send a test event/);
    const { webhookSecret } = await s.events.setNotifications(tenant.id, {
      webhookUrl: hook.url,
      emailTo: ['ops@example.org'],
      minSeverity: 'critical',
    });
    const { event: sent, deliveries } = await s.events.sendTest(tenant.id);
    assert.equal(sent.type, 'notifications.test');
    assert.deepEqual(
      deliveries.map((d) => [d.channel, d.status]),
      [
        ['webhook', 'pending'],
        ['email', 'pending'],
      ],
      'an info event is queued although the minimum is critical',
    );
    assert.equal(await s.delivery.runOnce(), 2);
    assert.equal(hook.received.length, 1);
    const got = hook.received[0]!;
    const now = clock.now().getTime() / 1000;
    assert.ok(
      verifyWebhookSignature(String(got.headers['senderd-signature']), got.body, webhookSecret!, now),
    );
    assert.equal((JSON.parse(got.body) as { type: string }).type, 'notifications.test');

    const latest = await s.events.recentDeliveries(tenant.id);
    assert.deepEqual(
      latest
        .map((d) => ({ channel: d.channel, status: d.status, type: d.eventType, error: d.lastError }))
        .sort((a, b) => a.channel.localeCompare(b.channel)),
      [
        {
          channel: 'email',
          status: 'pending',
          type: 'notifications.test',
          error: 'e-mail delivery is not configured (events.email.enabled)',
        },
        { channel: 'webhook', status: 'delivered', type: 'notifications.test', error: null },
      ],
    );
    assert.deepEqual(await s.events.recentDeliveries(other.id), [], "another tenant's are not listed");
    clock.advance(60_000);
    await s.events.sendTest(tenant.id);
    const [newest] = await s.events.recentDeliveries(tenant.id, 1);
    assert.equal(newest?.createdAt, '2026-05-01T00:01:00.000Z', 'newest first');
  } finally {
    await s.close();
    await hook.close();
    dir.remove();
  }
});

test('each claim is reserved from its own start, so a long pass leaves no claim open to another node', async () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-05-01T00:00:00Z');
  // Each request takes 100 s of the business clock: far longer than one lease, counted from the pass's start.
  const open: string[] = [];
  const ref: { services?: Awaited<ReturnType<typeof openServices>> } = {};
  const s = await openServices(testConfig(dir.path, ['events.webhookTimeout=10s']), {
    clock,
    publicSuffixes: corpusPublicSuffixes(),
    webhook: {
      async post(_url, _body, headers) {
        const id = headers['Senderd-Delivery-Id'];
        const mine = (await ref.services!.events.recentDeliveries(tenantId, 10)).find((d) => d.id === id)!;
        // While this request runs, its delivery must not be due for anybody else.
        if (Date.parse(mine.nextAttemptAt) <= clock.now().getTime()) open.push(id!);
        clock.advance(100_000);
      },
    },
  });
  ref.services = s;
  const tenantId = (await s.accounts.addTenant('acme')).id;
  try {
    await s.events.setNotifications(tenantId, { webhookUrl: 'https://hooks.example.org/senderd' });
    for (let i = 0; i < 3; i++) await s.events.sendTest(tenantId);
    assert.equal(await s.delivery.runOnce(), 3);
    assert.deepEqual(open, [], 'no delivery was due again while its request ran');
    const settled = await s.events.recentDeliveries(tenantId, 10);
    assert.deepEqual(
      settled.map((d) => d.status),
      ['delivered', 'delivered', 'delivered'],
    );
  } finally {
    await s.close();
    dir.remove();
  }
});

test('the webhook time limit covers the whole request, not only idle time', async () => {
  // A receiver that sends its answer a byte every 100 ms: never idle for long, never answered.
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const head = 'HTTP/1.1 200 OK\r\nX-Slow: ';
    let i = 0;
    // The status line, then a header that never ends, one byte at a time.
    const timer = setInterval(() => socket.write(head[i++] ?? 'a'), 100);
    socket.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const transport = httpWebhookTransport({ timeoutMs: 800, allowPrivate: true });
    const started = Date.now();
    const outcome = await Promise.race([
      transport.post(`http://127.0.0.1:${port}/`, '{}', {}).then(
        () => 'resolved',
        (error: Error) => error.message,
      ),
      new Promise((resolve) => setTimeout(() => resolve('still running after 5 s'), 5000).unref()),
    ]);
    const ms = Date.now() - started;
    assert.equal(outcome, 'request failed: ETIMEDOUT');
    assert.ok(ms >= 700 && ms < 2000, `gave up after ${ms} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
