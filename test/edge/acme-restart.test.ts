/**
 * A node stops mid-order and the order survives it: node A places the order and stops before answering the
 * challenge. Then two nodes come up over the same store, as a scale-out would run them: B orders (no edge), C
 * serves (no ACME) on the port Pebble validates. B resumes A's order instead of placing another, C answers the
 * challenge B stored, and C then serves the certificate B stored.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningNode } from '../../src/main.ts';
import { handshake, portOf } from './edge-client.ts';
import { CLICK_HOST, startAcmeWorld, type AcmeWorld } from './acme-world.ts';

let world: AcmeWorld;
const EPOCH = '1970-01-01T00:00:00.000Z';

before(async () => {
  world = await startAcmeWorld();
});

after(async () => {
  await world?.stop();
});

const placed = () =>
  world
    .logs()
    .split('\n')
    .filter((l) => l.includes('"msg":"order placed"')).length;

test('stopped mid-order, resumed by another node; the challenge and the certificate served by a third', async () => {
  // Node A gives the CA no time at all: it places the order and leaves the rest to the next pass.
  const a = await world.startNode({ runtime: { acmePatienceMs: 0 } });
  await world.customerZone({ clickCname: true });
  await a.services.checks.run(world.domain());
  assert.equal((await a.services.edge.acme.runOnce()).worked.get(CLICK_HOST), 'in-progress');
  const pending = await a.services.store.edge.host(CLICK_HOST);
  assert.ok(pending?.order, 'the order is stored');
  assert.equal(pending.status, 'pending');
  await a.stop();

  const c: RunningNode = await world.startNode({ set: ['edge.pollIntervalMs=100'] });
  const b: RunningNode = await world.startNode({ set: ['edge.enabled=false'] });
  assert.equal(portOf(b, 'edge'), null, 'B serves nothing');
  // C reloads its hosts when its poll sees the stamp move: the certificate B is about to store.
  const reloaded = world.nextLog(/"msg":"hosts reloaded"/);
  assert.equal((await b.services.edge.acme.runOnce()).worked.get(CLICK_HOST), 'issued');
  assert.equal(await b.services.store.edge.ordersSince(EPOCH), 1, 'one order in all');
  assert.equal(placed(), 1, 'B resumed the order A placed');
  const issued = await b.services.store.edge.host(CLICK_HOST);
  assert.equal(issued?.status, 'issued');
  assert.equal(issued.order, null);

  // C learns of the certificate from the store (its poll), and serves it.
  await reloaded;
  const h = await handshake(portOf(c, 'edge-https')!, CLICK_HOST);
  assert.ok(h.ok, h.ok ? '' : h.error);
  assert.equal(h.certificate.serialNumber.toUpperCase(), issued.certificate!.serial);
});
