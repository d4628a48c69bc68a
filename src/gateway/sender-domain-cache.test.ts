import { test } from 'node:test';
import assert from 'node:assert/strict';
import { senderDomain } from '../../test/support/sender-domains.ts';
import { ManualClock } from '../core/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import { SenderDomainCache } from './sender-domain-cache.ts';

function cacheOver(domains: SenderDomain[]) {
  const clock = new ManualClock();
  const reads = { tenant: 0, all: 0 };
  const cache = new SenderDomainCache(
    {
      listByTenant: (t) => (reads.tenant++, Promise.resolve(domains.filter((d) => d.tenantId === t))),
      listAll: () => (reads.all++, Promise.resolve([...domains])),
    },
    clock,
  );
  return { cache, clock, reads };
}

test("sender domain cache: a tenant's domains are read at most every 5 seconds", async () => {
  const domains = [senderDomain('example.com', { tenantId: 't1' })];
  const { cache, clock, reads } = cacheOver(domains);
  assert.equal((await cache.ofTenant('t1')).length, 1);
  domains.push(senderDomain('example.org', { tenantId: 't1' }));
  clock.advance(4_999);
  assert.equal((await cache.ofTenant('t1')).length, 1);
  clock.advance(1);
  assert.equal((await cache.ofTenant('t1')).length, 2);
  assert.equal(reads.tenant, 2);
});

test('sender domain cache: the platform domain, verified later, is seen within 5 seconds under steady traffic', async () => {
  const domains = [senderDomain('brand.example', { verified: false })];
  const { cache, clock, reads } = cacheOver(domains);
  assert.equal(await cache.verifiedByName('brand.example'), null);
  domains[0] = senderDomain('brand.example');
  // A message every second: each lookup within 5 s of the last read is served from the cache, not from the store.
  const seen: Array<string | null> = [];
  for (let s = 1; s <= 6; s++) {
    clock.advance(1_000);
    seen.push((await cache.verifiedByName('brand.example'))?.name ?? null);
  }
  assert.deepEqual(seen, [null, null, null, null, 'brand.example', 'brand.example']);
  assert.equal(reads.all, 2);
});
