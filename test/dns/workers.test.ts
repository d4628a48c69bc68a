/**
 * UDP worker threads (dns.workers): each has its own SO_REUSEPORT socket and reads the answers from the
 * arena the main thread keeps, so changes and arena moves reach them with no copy of the zone per thread.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dig } from '../support/dns-packets.ts';
import { startDnsTestNode } from '../support/dns-node.ts';

const Z = 'mail.example.net';

test('two UDP workers answer, follow live changes, and survive the arena moving', async () => {
  const t = await startDnsTestNode({ set: ['dns.workers=2'] });
  try {
    assert.equal((await dig(t.port, Z, 'SOA')).status, 'NOERROR');
    const tenant = await t.services.accounts.addTenant('acme');
    const before = t.dns.keeper.zone.arena.buffers;
    // Enough domains that the arena outgrows its first megabyte and moves.
    const domains = [];
    for (let i = 0; i < 400; i++) {
      domains.push(
        await t.services.domains.add(tenant.id, `sender${i}.example.com`, {
          ownDkimSelectors: [{ selector: 'k1', record: `v=DKIM1; k=rsa; p=${'C'.repeat(600)}` }],
        }),
      );
    }
    const last = domains.at(-1)!;
    const deadline = Date.now() + 10_000;
    while ((await dig(t.port, `k1.${last.token}.dkim.${Z}`, 'TXT')).status !== 'NOERROR') {
      assert.ok(Date.now() < deadline, 'the workers see new records');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.notEqual(t.dns.keeper.zone.arena.buffers, before, 'the arena moved');
    // Many queries from different source ports spread over both workers; all must see the same zone.
    const answers = await Promise.all(
      domains.slice(0, 60).map((d) => dig(t.port, `${d.token}.dmarc.${Z}`, 'TXT')),
    );
    assert.ok(answers.every((a) => a.status === 'NOERROR' && a.answer.length === 1));
    const serial = t.dns.keeper.serial;
    assert.equal((await dig(t.port, Z, 'SOA')).answer[0]!.data.split(' ')[2], String(serial));
  } finally {
    await t.close();
  }
});
