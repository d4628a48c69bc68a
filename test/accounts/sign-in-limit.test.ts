/**
 * The sign-in limit is kept in the store (issue 14, item 9): two nodes over one store count the same failures, so a
 * cluster does not multiply the attempts a guesser gets, and the owner is never locked out from elsewhere.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignInLimiter } from '../../src/accounts/index.ts';
import { ManualClock } from '../../src/core/index.ts';
import { openTestServices } from '../support/node.ts';

type Services = Awaited<ReturnType<typeof openTestServices>>;
let services: Services;
before(async () => {
  services = await openTestServices();
});
after(async () => {
  await services?.close();
  services?.dir.remove();
});

test('failures recorded on one node refuse the guesser on another node; the owner elsewhere gets in', async () => {
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const limits = { perAccount: 3, perClient: 10, windowMs: 15 * 60_000 };
  const nodeA = new SignInLimiter(limits, clock, services.store.signInFailures);
  const nodeB = new SignInLimiter(limits, clock, services.store.signInFailures);
  await nodeA.recordFailure('owner@alpha.example', '198.51.100.7');
  await nodeB.recordFailure('owner@alpha.example', '198.51.100.7');
  await nodeA.recordFailure('owner@alpha.example', '198.51.100.7');
  assert.equal(await nodeB.retryAfter('owner@alpha.example', '198.51.100.7'), 900, 'counted across nodes');
  assert.ok(
    (await nodeB.retryAfter('owner@alpha.example', '192.0.2.10')) <= 1,
    'the owner is not locked out',
  );
  await nodeB.recordSuccess('owner@alpha.example', '192.0.2.10');
  assert.equal(await nodeA.retryAfter('owner@alpha.example', '192.0.2.10'), 0);
  clock.advance(15 * 60_000);
  assert.equal(await nodeA.retryAfter('owner@alpha.example', '198.51.100.7'), 0, 'the window passes');
  await nodeA.recordFailure('someone@alpha.example', '192.0.2.99');
  const left = await services.store.db.selectFrom('sign_in_failures').selectAll().execute();
  assert.ok(
    left.every((r) => r.at === clock.now().toISOString()),
    'failures older than the window are purged',
  );
});
