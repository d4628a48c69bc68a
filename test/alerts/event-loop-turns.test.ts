/**
 * An alert pass reads the store once per domain, and on SQLite every read answers synchronously: without a turn of
 * the event loop between domains, a pass over a million domains held the node's DNS answers for minutes
 * (bench:scale, issue 20). Here a setImmediate ticker stands for the DNS server's socket callbacks: it must get
 * turns while the pass runs, in proportion to the domains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestServices } from '../support/node.ts';

test('an alert pass lets the event loop run between domains', async () => {
  const s = await openTestServices();
  try {
    const tenant = await s.accounts.addTenant('acme');
    const domains = 64;
    for (let i = 0; i < domains; i++) await s.domains.add(tenant.id, `d${i}.example.com`);
    let turns = 0;
    let running = true;
    const tick = () => {
      if (!running) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const result = await s.alerts.runOnce();
    running = false;
    assert.equal(result.domains, domains);
    assert.ok(
      turns >= domains / 8,
      `the event loop ran ${turns} times during a pass over ${domains} domains`,
    );
  } finally {
    await s.close();
  }
});
