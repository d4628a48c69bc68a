import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { specialPurposeAddress } from '../ip/index.ts';
import { httpWebhookTransport } from './transports.ts';

test('private, local and reserved addresses are refused; public ones are not', () => {
  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.9',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '224.0.0.1',
    // Issue 14 item 3: reserved ranges of RFC 6890's registries that the first list missed.
    '192.0.2.2',
    '198.51.100.1',
    '203.0.113.7',
    '64:ff9b::a9fe:a9fe',
    '2002:a9fe:a9fe::1',
    '2001::1',
    '2001:db8::1',
    '::ffff:a00:1',
  ]) {
    assert.ok(specialPurposeAddress(address) !== null, `${address} should be refused`);
  }
  for (const address of ['8.8.8.8', '2a00:1450:4001:81c::200e', '64:ff9b::808:808', 'hooks.example.com']) {
    assert.equal(specialPurposeAddress(address), null, `${address} should be allowed`);
  }
});

test('the transport refuses a loopback receiver, by address and by name, unless the operator allows it', async () => {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const guarded = httpWebhookTransport({ timeoutMs: 2000, allowPrivate: false });
    await assert.rejects(
      guarded.post(`http://127.0.0.1:${port}/hook`, '{}', {}),
      /refused: 127\.0\.0\.1 is a private/,
    );
    // A name that resolves to a loopback address is refused at connect time too (no DNS rebinding around it).
    await assert.rejects(
      guarded.post(`http://localhost:${port}/hook`, '{}', {}),
      /refused: localhost resolves to (127\.0\.0\.1|::1)/,
    );
    // A URL host is normalised to hex (WHATWG URL): [::ffff:127.0.0.1] becomes [::ffff:7f00:1], and a dual-stack
    // socket still reaches 127.0.0.1 through it; the mapped rule holds whatever the text form.
    await assert.rejects(
      guarded.post(`http://[::ffff:127.0.0.1]:${port}/hook`, '{}', {}),
      /refused: ::ffff:7f00:1 is a private, local or reserved address \(Loopback/,
    );
    assert.equal(hits, 0, 'nothing reached the receiver');
    await httpWebhookTransport({ timeoutMs: 2000, allowPrivate: true }).post(
      `http://127.0.0.1:${port}/hook`,
      '{}',
      {},
    );
    assert.equal(hits, 1);
  } finally {
    server.close();
  }
});
