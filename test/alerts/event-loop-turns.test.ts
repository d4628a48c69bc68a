/**
 * The passes over every domain (alerts, DKIM rotation, the DMARC calendar and autopilot) read the store once or
 * more per domain, and on SQLite every read answers synchronously: without a turn of the event loop between
 * domains, the alert pass over a million domains held the node's DNS answers for minutes (bench:scale, issue 20).
 * Here a setImmediate ticker stands for the DNS server's socket callbacks: it must get turns while a pass runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestServices } from '../support/node.ts';

type TestServices = Awaited<ReturnType<typeof openTestServices>>;

const DOMAINS = 130;

async function turnsDuring(pass: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await pass();
  } finally {
    running = false;
  }
  return turns;
}

async function withDomains(run: (s: TestServices, ids: string[]) => Promise<void>) {
  const s = await openTestServices();
  try {
    const tenant = await s.accounts.addTenant('acme');
    const ids: string[] = [];
    for (let i = 0; i < DOMAINS; i++) ids.push((await s.domains.add(tenant.id, `d${i}.example.com`)).id);
    await run(s, ids);
  } finally {
    await s.close();
  }
}

test('passes over every domain let the event loop run between domains', async () => {
  await withDomains(async (s) => {
    const alerts = await turnsDuring(async () => assert.equal((await s.alerts.runOnce()).domains, DOMAINS));
    assert.ok(alerts >= DOMAINS / 8, `alerts: the event loop ran ${alerts} times over ${DOMAINS} domains`);
    // The first rotation pass publishes every domain's first keys; the second only looks.
    await s.rotation.runOnce();
    const rotation = await turnsDuring(() => s.rotation.runOnce());
    assert.ok(rotation >= 2, `rotation: the event loop ran ${rotation} times over ${DOMAINS} domains`);
  });
});
