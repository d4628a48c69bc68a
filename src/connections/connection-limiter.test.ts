import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionLimiter, clientOf } from './connection-limiter.ts';
import { shareDescriptors } from './descriptor-budget.ts';

test('clients: an IPv4 address (also IPv4-mapped), an IPv6 /64', () => {
  const cases: Array<[string, string, string]> = [
    ['192.0.2.7', '192.0.2.7', 'IPv4 as itself'],
    ['::ffff:192.0.2.7', '192.0.2.7', 'IPv4-mapped on a dual-stack socket is the IPv4 client'],
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64', 'IPv6 by its /64'],
    ['2001:db8:1:2:bbbb::9', '2001:db8:1:2::/64', 'another address of the same /64 is the same client'],
    ['2001:db8:1:3::1', '2001:db8:1:3::/64', 'the next /64 is another client'],
  ];
  for (const [address, client, why] of cases) assert.equal(clientOf(address), client, why);
});

test('a listener admits up to its limits, overall and per client, and a release frees one place', () => {
  const limiter = new ConnectionLimiter({ maxConnections: 3, maxConnectionsPerClient: 2 });
  const a1 = limiter.admit('192.0.2.1');
  const a2 = limiter.admit('::ffff:192.0.2.1');
  const a3 = limiter.admit('192.0.2.1');
  assert.ok(a1.admitted && a2.admitted);
  assert.deepEqual(a3, { admitted: false, client: '192.0.2.1', reason: 'client-full' });
  const b1 = limiter.admit('192.0.2.2');
  assert.ok(b1.admitted);
  assert.equal(limiter.admit('192.0.2.3').admitted, false);
  assert.equal((limiter.admit('192.0.2.3') as { reason: string }).reason, 'listener-full');
  if (a1.admitted) {
    a1.release();
    a1.release(); // twice is once
  }
  assert.equal(limiter.open, 2);
  assert.equal(limiter.heldBy('192.0.2.1'), 1);
  assert.ok(limiter.admit('192.0.2.3').admitted);
});

test('descriptors: maxima that fit are kept; maxima that do not are reduced in proportion', () => {
  const demands = [
    { name: 'http', maxConnections: 1000, overhead: 32 },
    { name: 'dns', maxConnections: 1000, overhead: 32 },
    { name: 'inbound', maxConnections: 200, overhead: 32 },
  ];
  const roomy = shareDescriptors(65_536, 256, demands);
  assert.equal(roomy.reduced, false);
  assert.deepEqual(
    roomy.shares.map((s) => s.maxConnections),
    [1000, 1000, 200],
  );
  const tight = shareDescriptors(1024, 256, demands);
  assert.equal(tight.reduced, true);
  const total = tight.shares.reduce((sum, s) => sum + s.maxConnections, 0) + 3 * 32;
  assert.ok(total <= 1024 - 256, `${total} descriptors promised`);
  assert.deepEqual(
    tight.shares.map((s) => s.maxConnections),
    [305, 305, 61],
  );
  assert.deepEqual(
    shareDescriptors(200, 256, demands).shares.map((s) => s.maxConnections),
    [1, 1, 1],
    'never zero: a listener always takes one connection',
  );
});
