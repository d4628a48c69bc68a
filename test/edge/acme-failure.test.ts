/**
 * A failing validation, as a tenant lives it: the CNAME is right but the edge's address in the platform zone is
 * not (Pebble cannot connect). The order fails with Pebble's own words in the status and in an event, the next
 * waits out a back-off that doubles (no order in between, however often the scheduler runs), and once the address
 * is fixed the next attempt succeeds.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningNode } from '../../src/main.ts';
import { CLICK_HOST, startAcmeWorld, type AcmeWorld } from './acme-world.ts';

let world: AcmeWorld;
let node: RunningNode;
const MIN = 60_000;
const EPOCH = '1970-01-01T00:00:00.000Z';

before(async () => {
  world = await startAcmeWorld();
  node = await world.startNode();
  await world.customerZone({ clickCname: true });
  // Nothing listens on 127.0.0.6: Pebble's connection is refused.
  await world.trackAddress('127.0.0.6');
});

after(async () => {
  await world?.stop();
});

const status = async () => (await node.services.edge.status.status(world.tenantId, 'example.com')).hosts[0]!;
const failures = () => world.events.filter((e) => e.type === 'edge.certificate.failed');

test('a failed validation: the CA error in the status and an event, then a back-off', async () => {
  const s = node.services;
  assert.equal(
    (await s.checks.run(world.domain())).records.find((r) => r.key === 'tracking')?.grade,
    'perfect',
  );
  const started = world.clock.now().getTime();
  const first = await s.edge.acme.runOnce();
  assert.equal(first.worked.get(CLICK_HOST), 'failed');
  const failed = await status();
  assert.equal(failed.status, 'failed');
  // Pebble's own words: what it fetched and why that failed.
  assert.match(failed.lastError?.message ?? '', /127\.0\.0\.6.*(refused|connect)/i);
  assert.equal(failed.attempts, 1);
  assert.equal(failed.nextAttemptAt, new Date(started + 15 * MIN).toISOString());
  assert.match(failed.reason, /The last order failed at .*The next attempt is at/);
  const [event] = failures();
  assert.ok(event);
  assert.equal(event.severity, 'critical', 'no certificate at all: HTTPS links do not work');
  assert.equal(event.data.error, failed.lastError?.message);
  assert.match(event.message, /could not be ordered: .*127\.0\.0\.6.*Next attempt at/);

  // The scheduler keeps running; nothing is ordered until the back-off is over.
  world.clock.advance(14 * MIN);
  for (let i = 0; i < 3; i++) assert.equal((await s.edge.acme.runOnce()).worked.size, 0);
  assert.equal(await s.store.edge.ordersSince(EPOCH), 1);

  // The second failure waits twice as long, and is told too.
  world.clock.advance(1 * MIN);
  assert.equal((await s.edge.acme.runOnce()).worked.get(CLICK_HOST), 'failed');
  const second = await status();
  assert.equal(second.attempts, 2);
  assert.equal(second.nextAttemptAt, new Date(started + 15 * MIN + 30 * MIN).toISOString());
  assert.equal(failures().length, 2);
  assert.equal(await s.store.edge.ordersSince(EPOCH), 2);
});

test('fixed: the next attempt after the back-off succeeds, and the failure is cleared', async () => {
  const s = node.services;
  await world.trackAddress('127.0.0.1');
  world.clock.advance(30 * MIN);
  assert.equal((await s.edge.acme.runOnce()).worked.get(CLICK_HOST), 'issued');
  const fixed = await status();
  assert.equal(fixed.status, 'issued');
  assert.equal(fixed.lastError, null);
  assert.equal(fixed.attempts, 0);
  assert.equal(fixed.nextAttemptAt, null);
  assert.ok(world.events.some((e) => e.type === 'edge.certificate.issued'));
});
