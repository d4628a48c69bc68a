/**
 * From `domain add` to a valid certificate on https://clicks.example.com with nothing but the CNAME, against
 * Pebble: first without the CNAME (the host waits, with the reason, and no order is placed however often the
 * host is asked for), then with it (one order, validated by Pebble through Unbound and the edge, the chain
 * verified by curl and openssl against Pebble's root).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningNode } from '../../src/main.ts';
import { run } from '../support/tools.ts';
import { edgeRequest, handshake } from './edge-client.ts';
import { CLICK_HOST, startAcmeWorld, type AcmeWorld } from './acme-world.ts';

let world: AcmeWorld;
let node: RunningNode;
let https = 0;

before(async () => {
  world = await startAcmeWorld();
  node = await world.startNode();
  https = Number(
    node.components
      .find((c) => c.name === 'edge-https')!
      .address.split(':')
      .at(-1),
  );
});

after(async () => {
  await world?.stop();
});

test('without the CNAME the host waits, says why, and no request makes an order', async () => {
  await world.customerZone({ clickCname: false });
  const s = node.services;
  const check = await s.checks.run(world.domain());
  assert.equal(check.verification.verified, true, JSON.stringify(check.records.map((r) => [r.key, r.grade])));
  const report = await s.edge.acme.runOnce();
  assert.deepEqual(report.added, []);
  const status = await s.edge.status.status(world.tenantId, 'example.com');
  assert.equal(status.hosts.length, 1);
  assert.equal(status.hosts[0]!.status, 'waiting');
  assert.match(
    status.hosts[0]!.reason,
    /clicks\.example\.com does not point at the edge yet: There is no CNAME/,
  );
  // Handshakes and requests for the host never order anything.
  for (let i = 0; i < 20; i++) {
    assert.equal((await handshake(https, CLICK_HOST)).ok, false, 'no certificate yet');
    assert.equal((await edgeRequest({ port: world.edgeHttpPort, host: CLICK_HOST })).status, 404);
  }
  assert.equal(await s.store.edge.ordersSince('1970-01-01T00:00:00.000Z'), 0);
});

test('with the CNAME: one order, validated through the CNAME, and a chain that verifies', async () => {
  await world.customerZone({ clickCname: true });
  const s = node.services;
  const check = await s.checks.run(world.domain());
  assert.equal(check.records.find((r) => r.key === 'tracking')?.grade, 'perfect');
  const report = await s.edge.acme.runOnce();
  assert.deepEqual(report.added, [CLICK_HOST]);
  assert.equal(
    report.worked.get(CLICK_HOST),
    'issued',
    world
      .logs()
      .split('\n')
      .filter((l) => l.includes('acme'))
      .join('\n'),
  );
  assert.equal(await s.store.edge.ordersSince('1970-01-01T00:00:00.000Z'), 1);
  const status = (await s.edge.status.status(world.tenantId, 'example.com')).hosts[0]!;
  assert.equal(status.status, 'issued');
  assert.ok(status.certificate !== null);
  const issued = world.events.find((e) => e.type === 'edge.certificate.issued');
  assert.ok(issued, 'the tenant hears of it');
  assert.equal(issued.data.serial, status.certificate.serial);

  const dir = world.pebble.rootFile;
  const curl = await run('curl', [
    '--silent',
    '--show-error',
    '--cacert',
    dir,
    '--resolve',
    `${CLICK_HOST}:${https}:127.0.0.1`,
    '--write-out',
    '%{http_code} %{redirect_url} %{ssl_verify_result}',
    '--output',
    '/dev/null',
    `https://${CLICK_HOST}:${https}/`,
  ]);
  assert.equal(curl.code, 0, curl.stderr);
  assert.equal(curl.stdout, '302 https://example.com/ 0');

  const chainFile = join(world.tree.port.toString());
  void chainFile;
  const openssl = await run(
    'openssl',
    [
      's_client',
      '-connect',
      `127.0.0.1:${https}`,
      '-servername',
      CLICK_HOST,
      '-CAfile',
      dir,
      '-verify_hostname',
      CLICK_HOST,
      '-verify_return_error',
      '-showcerts',
    ],
    { input: '' },
  );
  assert.equal(openssl.code, 0, openssl.stderr);
  assert.match(openssl.stdout, /Verify return code: 0 \(ok\)/);
  assert.match(openssl.stdout, new RegExp(`Server Temp Key|Peer signature type: ecdsa`));
  assert.match(openssl.stdout, /s:.*\n.*i:.*Pebble Intermediate/);
  writeFileSync('/dev/null', '');

  // Over HTTP the host now redirects to HTTPS.
  const plain = await edgeRequest({ port: world.edgeHttpPort, host: CLICK_HOST, path: '/some/path?x=1' });
  assert.equal(plain.status, 301);
  assert.equal(plain.headers.location, `https://${CLICK_HOST}:${https}/some/path?x=1`);
});
