/**
 * `POST /v1/domains/{domain}/dns-apply` as a tenant calls it: the server it names is reached by senderd, so a
 * tenant must not be able to aim RFC 2136 messages at the operator's own network (loopback, private, reserved
 * addresses), unless the operator allows it. The CLI on the node (dns-apply-cli.test.ts) may always.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { startTestNode, type TestNode } from '../support/node.ts';

let strict: TestNode;
let open: TestNode;
let strictKey: string;
let openKey: string;

async function tenantWithDomain(t: TestNode): Promise<string> {
  const tenant = await t.services.accounts.addTenant('shop');
  await t.services.domains.add(tenant.id, 'shop.test');
  return (await t.services.accounts.createApiKey(tenant.id, 'test')).key;
}

before(async () => {
  strict = await startTestNode();
  open = await startTestNode({ set: ['checks.allowPrivateApplyServers=true', 'checks.timeoutMs=200'] });
  strictKey = await tenantWithDomain(strict);
  openKey = await tenantWithDomain(open);
});
after(async () => {
  await strict?.close();
  await open?.close();
});

async function apply(t: TestNode, key: string, server: string) {
  const res = await fetch(`${t.http}/v1/domains/shop.test/dns-apply`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ server, dryRun: true }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { message?: string; error?: { message?: string } },
  };
}

test('a tenant cannot aim an update at loopback, private or reserved addresses, and nothing is sent', async () => {
  const sink = createSocket('udp4');
  let received = 0;
  sink.on('message', () => (received += 1));
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', r));
  const port = sink.address().port;
  try {
    for (const server of [
      `127.0.0.1:${port}`,
      '10.1.2.3',
      '192.168.0.1:5353',
      '192.0.2.53',
      '[::1]:53',
      '169.254.169.254',
    ]) {
      const r = await apply(strict, strictKey, server);
      assert.equal(r.status, 400, `${server}: ${JSON.stringify(r.body)}`);
      assert.match(JSON.stringify(r.body), /private, local or reserved address/, server);
      assert.match(JSON.stringify(r.body), /checks\.allowPrivateApplyServers/, server);
    }
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(received, 0, 'no DNS message reached the loopback server');
  } finally {
    sink.close();
  }
});

test('with checks.allowPrivateApplyServers the same request reaches the server', async () => {
  const sink = createSocket('udp4');
  let received = 0;
  sink.on('message', () => (received += 1));
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', r));
  try {
    const r = await apply(open, openKey, `127.0.0.1:${sink.address().port}`);
    // The sink never answers: the request is tried and ends as a failure, not refused up front.
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(received >= 1, 'the SOA query reached the server');
  } finally {
    sink.close();
  }
});
