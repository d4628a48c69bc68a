/**
 * Renewal with an injected clock: nothing happens before two thirds of the lifetime; at two thirds a new order
 * runs while the old certificate is still served, and the edge switches to the new one. Then the certificate
 * expires while the CA cannot validate: the status says expired with the CA's error, and the event is critical.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningNode } from '../../src/main.ts';
import { handshake, portOf } from './edge-client.ts';
import { CLICK_HOST, startAcmeWorld, type AcmeWorld } from './acme-world.ts';

let world: AcmeWorld;
let node: RunningNode;
let https = 0;

before(async () => {
  world = await startAcmeWorld();
  node = await world.startNode();
  https = portOf(node, 'edge-https')!;
  await world.customerZone({ clickCname: true });
  await node.services.checks.run(world.domain());
  assert.equal((await node.services.edge.acme.runOnce()).worked.get(CLICK_HOST), 'issued');
});

after(async () => {
  await world?.stop();
});

const status = async () => (await node.services.edge.status.status(world.tenantId, 'example.com')).hosts[0]!;

async function servedSerial(): Promise<string> {
  const h = await handshake(https, CLICK_HOST);
  assert.ok(h.ok, h.ok ? '' : h.error);
  return h.certificate.serialNumber.toUpperCase();
}

test('at two thirds of the lifetime the certificate is renewed, and the edge serves the new one', async () => {
  const s = node.services;
  const first = await status();
  const cert = first.certificate!;
  assert.equal(await servedSerial(), cert.serial);
  const lifetime = Date.parse(cert.notAfter) - Date.parse(cert.notBefore);
  assert.equal(Date.parse(cert.renewAt) - world.clock.now().getTime(), Math.floor((lifetime * 2) / 3));

  world.clock.set(new Date(Date.parse(cert.renewAt) - 1000));
  assert.equal((await s.edge.acme.runOnce()).worked.size, 0, 'not due yet');
  assert.equal((await status()).status, 'issued');

  world.clock.set(new Date(Date.parse(cert.renewAt) + 1000));
  assert.equal((await status()).status, 'renewing', 'due: the status says so before the pass runs');
  assert.equal((await s.edge.acme.runOnce()).worked.get(CLICK_HOST), 'issued');
  const renewed = await status();
  assert.equal(renewed.status, 'issued');
  assert.notEqual(renewed.certificate?.serial, cert.serial);
  assert.equal(
    await servedSerial(),
    renewed.certificate?.serial,
    'this node serves the new certificate at once',
  );
  const event = world.events.find((e) => e.type === 'edge.certificate.renewed');
  assert.equal(event?.data.serial, renewed.certificate?.serial);
  // Not renewed again on the next pass: the new one is fresh by this node's clock.
  assert.equal((await s.edge.acme.runOnce()).worked.size, 0);
});

test('an expired certificate whose renewal fails: status expired with the CA error, a critical event', async () => {
  const s = node.services;
  const cert = (await status()).certificate!;
  await world.trackAddress('127.0.0.6');
  world.clock.set(new Date(Date.parse(cert.notAfter) + 1000));
  assert.equal((await status()).status, 'expired');
  assert.equal((await s.edge.acme.runOnce()).worked.get(CLICK_HOST), 'failed');
  const expired = await status();
  assert.equal(expired.status, 'expired');
  assert.match(expired.reason, /The last order failed at .*127\.0\.0\.6.*The certificate expired at/);
  const event = world.events.filter((e) => e.type === 'edge.certificate.failed').at(-1);
  assert.equal(event?.severity, 'critical');
  assert.match(event?.message ?? '', /could not be renewed: .*the certificate it served expired at/);
  // The expired certificate is still what the edge has: a browser says "expired", not "wrong host".
  assert.equal(await servedSerial(), cert.serial);
});
