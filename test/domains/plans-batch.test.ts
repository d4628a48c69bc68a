/**
 * The batched plan (a full zone build) must equal the plan of each domain alone, whatever state the domains are
 * in: keys of both algorithms, policy overrides, DMARC steps with and without BIMI, no keys at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestServices } from '../support/node.ts';

test('plansFor gives exactly what planFor gives one domain at a time', async () => {
  const s = await openTestServices();
  try {
    const tenant = await s.accounts.addTenant('acme');
    await s.domains.add(tenant.id, 'keys.example');
    await s.domains.add(tenant.id, 'ed.example', {
      spfMechanisms: ['ip4:192.0.2.1', 'include:_spf.example.org'],
    });
    await s.domains.add(tenant.id, 'step.example');
    await s.domains.add(tenant.id, 'bare.example');
    await s.dkim.rotate(tenant.id, 'keys.example');
    await s.dkim.setPolicy(tenant.id, 'ed.example', { ed25519: true });
    await s.dkim.rotate(tenant.id, 'ed.example', { algorithm: 'ed25519' });
    await s.dmarc.update(tenant.id, 'step.example', { bimi: { location: 'https://bimi.example/logo.svg' } });
    await s.dmarc.step(tenant.id, 'step.example', 12, '', true);
    await s.dmarc.step(tenant.id, 'keys.example', 3, '', true);

    const domains = await s.store.domains.listAll();
    assert.equal(domains.length, 4);
    const batched = await s.domains.plansFor(domains);
    const alone = await Promise.all(domains.map((d) => s.domains.planFor(d)));
    assert.deepEqual(batched, alone);
    // The cases are really different from one another (so the equality means something).
    const hosted = (name: string) => batched[domains.findIndex((d) => d.name === name)]!.hosted;
    assert.ok(hosted('ed.example').some((r) => r.data.type === 'TXT' && r.data.text.includes('k=ed25519')));
    assert.ok(hosted('step.example').some((r) => r.name.includes('.bimi.')));
    assert.ok(hosted('keys.example').some((r) => r.data.type === 'TXT' && r.data.text.includes('pct=')));
    assert.ok(
      !hosted('bare.example').some((r) => r.data.type === 'TXT' && r.data.text.startsWith('v=DKIM1')),
    );
  } finally {
    await s.close();
  }
});
