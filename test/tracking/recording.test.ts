/**
 * Recording opens and clicks off the answer path (src/tracking/tracking-service.ts): visits wait in memory for up
 * to 100 ms and are stored in batches, so a clean stop must store the ones still waiting; a full queue sheds the
 * record (counted), never the answer; and /metrics shows what became of the records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quietLogger, systemClock } from '../../src/core/index.ts';
import { openServices, type Services } from '../../src/main.ts';
import { TrackingService, type LinkClaims } from '../../src/tracking/index.ts';
import { corpusPublicSuffixes, sharedTestStore, startTestNode } from '../support/node.ts';

const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A tenant, its domain and a delivered message with `recipients` recipients, an hour old. */
async function message(s: Services, recipients: number) {
  const tenantId = (await s.accounts.addTenant('acme')).id;
  const domainId = (await s.domains.add(tenantId, 'example.com')).id;
  const at = new Date(Date.now() - 3_600_000).toISOString();
  await s.store.gateway.insertMessages([
    {
      id: 'm-1',
      tenantId,
      domainId,
      senderDomain: 'example.com',
      headerFrom: 'news@example.com',
      submittedMailFrom: 'news@example.com',
      recipients: Array.from({ length: recipients }, (_, i) => ({
        address: `reader${i}@example.net`,
        envelopeFrom: 'b@bounce.example.com',
      })),
      signatures: [],
      signingDecision: 'signed',
      clientAddress: '192.0.2.1',
      credential: null,
      size: 1000,
      acceptedAt: at,
      status: 'delivered',
      updatedAt: at,
    },
  ]);
  return { tenantId, domainId };
}

const click = (recipient: number): LinkClaims => ({
  kind: 'click',
  messageId: 'm-1',
  recipientId: String(recipient),
  linkIndex: 0,
  url: 'https://shop.example/',
});

test('visits still waiting when the node stops are stored by the stop, none lost', async () => {
  const shared = await sharedTestStore();
  try {
    const config = shared.configWith();
    const runtime = { publicSuffixes: corpusPublicSuffixes() };
    const first = await openServices(config, runtime);
    const { tenantId, domainId } = await message(first, 1200);
    const service = first.tracking.service;
    const targets = [];
    for (let i = 0; i < 1200; i++) targets.push((await service.target(click(i), { tenantId, domainId }))!);
    // 1,200 visits without yielding: two batches of 500 are on their way to the store, 200 wait for the timer.
    for (let i = 0; i < 1200; i++)
      service.recordVisit(targets[i]!, click(i), { userAgent: UA, clientAddress: '198.51.100.7' });
    assert.deepEqual(service.stats(), { recorded: 0, dropped: 0, failed: 0, pending: 1200 });
    await first.close();
    const second = await openServices(config, runtime);
    try {
      const stored = await second.tracking.service.events(tenantId, { messageId: 'm-1', limit: 5000 });
      assert.equal(stored.length, 1200);
      assert.equal(new Set(stored.map((e) => e.recipientIndex)).size, 1200, 'each visit once');
      assert.ok(stored.every((e) => e.clientNetwork === '198.51.100.0/24' && e.class === 'human'));
    } finally {
      await second.close();
    }
  } finally {
    shared.dir.remove();
  }
});

test('a full queue sheds the record and counts it; the answer is not held up', async () => {
  const shared = await sharedTestStore();
  const s = await openServices(shared.configWith(), { publicSuffixes: corpusPublicSuffixes() });
  try {
    const { tenantId, domainId } = await message(s, 20);
    // A service like the node's, with room for 10 visits waiting.
    const service = new TrackingService({
      repo: s.store.tracking,
      messages: async () => (await s.tracking.service.target(click(0), { tenantId, domainId }))!.message,
      unsubscribe: () => Promise.resolve(false),
      events: { emit: () => Promise.resolve() },
      clock: systemClock,
      log: quietLogger(),
      retentionDays: 30,
      maxPending: 10,
    });
    const targets = [];
    for (let i = 0; i < 15; i++) targets.push(await service.target(click(i), { tenantId, domainId }));
    for (let i = 0; i < 15; i++) {
      assert.ok(targets[i], 'the answer (its target) is found whether or not the record is kept');
      service.recordVisit(targets[i]!, click(i), { userAgent: UA, clientAddress: '198.51.100.7' });
    }
    assert.deepEqual(service.stats(), { recorded: 0, dropped: 5, failed: 0, pending: 10 });
    await service.settled();
    assert.deepEqual(service.stats(), { recorded: 10, dropped: 5, failed: 0, pending: 0 });
    const stored = await s.tracking.service.events(tenantId, { messageId: 'm-1', limit: 100 });
    assert.deepEqual(
      stored.map((e) => e.recipientIndex).sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
  } finally {
    await s.close();
    shared.dir.remove();
  }
});

test('/metrics shows the visits stored, shed and failed, and those waiting', async () => {
  const t = await startTestNode();
  try {
    const { tenantId, domainId } = await message(t.services, 3);
    const service = t.services.tracking.service;
    for (let i = 0; i < 3; i++) {
      const target = await service.target(click(i), { tenantId, domainId });
      service.recordVisit(target!, click(i), { userAgent: UA, clientAddress: '198.51.100.7' });
    }
    await service.settled();
    const text = await (await fetch(`${t.http}/metrics`)).text();
    assert.match(text, /^senderd_tracking_visits_total\{record="stored"\} 3$/m);
    assert.match(text, /^senderd_tracking_visits_total\{record="shed"\} 0$/m);
    assert.match(text, /^senderd_tracking_visits_total\{record="failed"\} 0$/m);
    assert.match(text, /^senderd_tracking_visits_pending 0$/m);
  } finally {
    await t.close();
  }
});
