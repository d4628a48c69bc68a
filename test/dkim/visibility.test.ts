import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/index.ts';
import { dnsVisibilityProbe } from '../../src/dkim/index.ts';
import { splitTxtStrings } from '../../src/domains/index.ts';
import { startDnsResponder, type TestRecord } from '../support/dns-responder.ts';
import { openTestServices } from '../support/node.ts';

const DAY = 86_400_000;

test('a new key activates only once a resolver sees it through the customer CNAME', async () => {
  const dns = await startDnsResponder(new Map<string, TestRecord[]>());
  const clock = new ManualClock('2026-02-01T00:00:00Z');
  const probe = dnsVisibilityProbe({ servers: [dns.server], timeoutMs: 2000 });
  const s = await openTestServices({ set: ['dkim.leadTime=2d'], runtime: { clock, probe } });
  try {
    const tenant = await s.accounts.addTenant('acme');
    const domain = await s.domains.add(tenant.id, 'example.com');
    await s.rotation.runOnce();
    const [pending] = await s.store.dkim.listInZoneByDomain(domain.id);
    assert.equal(pending!.state, 'pending');
    assert.deepEqual(await probe.check('example.com', pending!.selector, pending!.publicKey), {
      status: 'absent',
      detail: `${pending!.selector}._domainkey.example.com has no TXT record (NXDOMAIN)`,
    });

    clock.advance(2 * DAY);
    await s.rotation.runOnce();
    assert.equal(
      (await s.store.dkim.findById(domain.id, pending!.id))!.state,
      'pending',
      'not visible: keeps waiting',
    );
    const waiting = await s.events.list(tenant.id, { type: 'dkim.key.awaiting-visibility' });
    assert.equal(waiting.length, 1);

    // The customer creates the CNAMEs of the plan; the resolver serves the hosted TXT (split into strings).
    const plan = await s.domains.planFor(domain);
    for (const r of plan.customer)
      if (r.data.type === 'CNAME') dns.records.set(r.name, [{ type: 'CNAME', target: r.data.target }]);
    for (const r of plan.hosted)
      if (r.data.type === 'TXT' && r.purpose === 'dkim')
        dns.records.set(r.name, [{ type: 'TXT', strings: splitTxtStrings(r.data.text) }]);
    assert.deepEqual(await probe.check('example.com', pending!.selector, pending!.publicKey), {
      status: 'visible',
    });
    // Another key at the same name is not this key.
    const other = await probe.check(
      'example.com',
      pending!.selector,
      Buffer.alloc(294, 1).toString('base64'),
    );
    assert.equal(other.status, 'different');

    clock.advance(60_000);
    await s.rotation.runOnce();
    const active = (await s.store.dkim.findById(domain.id, pending!.id))!;
    assert.equal(active.state, 'active');
    assert.equal(active.visibleAt, clock.now().toISOString());
    assert.ok((await s.signingKeys.forDomain(domain.id)).usable);
  } finally {
    await s.close();
    await dns.close();
  }
});
