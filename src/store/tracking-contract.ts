/**
 * The contract of the tracking port, part of the store contract: run against SQLite and PostgreSQL alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageTrace } from '../gateway/index.ts';
import type { TrackingEvent } from '../tracking/index.ts';
import type { Store } from './store.ts';

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

const DAY1 = '2026-12-01';
const DAY2 = '2026-12-02';

function visit(more: Partial<TrackingEvent>): TrackingEvent {
  return {
    tenantId: 'ten_a',
    domainId: 'dom_a',
    senderDomain: 'example.com',
    messageId: 'm1',
    recipientIndex: 0,
    kind: 'click',
    linkIndex: 0,
    url: 'https://shop.example/a',
    at: `${DAY1}T10:00:00.000Z`,
    clientNetwork: '198.51.100.0/24',
    userAgent: 'Mozilla/5.0',
    class: 'human',
    rule: 'none',
    ...more,
  };
}

function message(id: string, tenantId: string, domainId: string): MessageTrace {
  return {
    id,
    tenantId,
    domainId,
    senderDomain: 'example.com',
    headerFrom: 'news@example.com',
    submittedMailFrom: 'news@example.com',
    recipients: [
      { address: 'a@example.net', envelopeFrom: 'b@bounce.example.com' },
      { address: 'b@example.net', envelopeFrom: 'b@bounce.example.com' },
    ],
    signatures: [],
    signingDecision: 'signed',
    clientAddress: '192.0.2.1',
    credential: null,
    size: 100,
    acceptedAt: `${DAY1}T09:00:00.000Z`,
    status: 'delivered',
    updatedAt: `${DAY1}T09:00:00.000Z`,
  };
}

export function describeTrackingContract(withStore: WithStore): void {
  test('tracking: events are stored, listed newest first per tenant, and a burst is found and reclassified', async () => {
    await withStore(async (store) => {
      const t = store.tracking;
      const a = await t.insert(visit({}));
      const b = await t.insert(visit({ linkIndex: 1, at: `${DAY1}T10:00:01.000Z` }));
      await t.insert(visit({ tenantId: 'ten_b', domainId: 'dom_b', messageId: 'm9' }));
      const recent = await t.recentClicks([{ messageId: 'm1', recipientIndex: 0 }], `${DAY1}T10:00:00.500Z`);
      assert.deepEqual(recent, [
        { id: b, messageId: 'm1', recipientIndex: 0, linkIndex: 1, at: `${DAY1}T10:00:01.000Z` },
      ]);
      assert.equal(
        (await t.recentClicks([{ messageId: 'm1', recipientIndex: 1 }], `${DAY1}T00:00:00.000Z`)).length,
        0,
        'another recipient',
      );
      await t.reclassify([a, b], { class: 'scanner', rule: 'many-links-at-once' });
      const listed = await t.list('ten_a', { limit: 10 });
      assert.deepEqual(
        listed.map((e) => [e.id, e.class, e.rule]),
        [
          [b, 'scanner', 'many-links-at-once'],
          [a, 'scanner', 'many-links-at-once'],
        ],
      );
      assert.deepEqual(listed[1], { ...visit({ class: 'scanner', rule: 'many-links-at-once' }), id: a });
      assert.equal((await t.list('ten_b', { limit: 10 })).length, 1);
      assert.equal(
        (await t.list('ten_a', { messageId: 'm9', limit: 10 })).length,
        0,
        "another tenant's message",
      );
      // Several recipients in one query: only the pairs asked for (m9's recipient 0 and m1's recipient 1 are not
      // asked together with m1's 0 and m9's 1), oldest first, at most the latest 50 each.
      const c = await t.insert(visit({ messageId: 'm9', recipientIndex: 1, at: `${DAY1}T10:00:02.000Z` }));
      const many = [];
      for (let i = 0; i < 60; i++)
        many.push(
          visit({ messageId: 'm8', linkIndex: i, at: `${DAY1}T10:00:03.${String(i).padStart(3, '0')}Z` }),
        );
      await t.insertAll(many);
      const batch = await t.recentClicks(
        [
          { messageId: 'm1', recipientIndex: 0 },
          { messageId: 'm9', recipientIndex: 1 },
          { messageId: 'm8', recipientIndex: 0 },
        ],
        `${DAY1}T00:00:00.000Z`,
      );
      assert.deepEqual(
        batch.filter((x) => x.messageId === 'm1').map((x) => [x.recipientIndex, x.id]),
        [
          [0, a],
          [0, b],
        ],
      );
      assert.deepEqual(
        batch.filter((x) => x.messageId === 'm9').map((x) => [x.recipientIndex, x.id]),
        [[1, c]],
      );
      assert.deepEqual(
        batch.filter((x) => x.messageId === 'm8').map((x) => x.linkIndex),
        Array.from({ length: 50 }, (_, i) => i + 10),
        'the latest 50, oldest first',
      );
    });
  });

  test('tracking: days count delivered recipients and unique opens and clicks by class; links rank by people', async () => {
    await withStore(async (store) => {
      await store.gateway.insertMessages([message('m1', 'ten_a', 'dom_a'), message('m2', 'ten_b', 'dom_b')]);
      const attempt = (
        messageId: string,
        tenantId: string,
        recipient: string,
        status: 'delivered' | 'deferred',
      ) => ({
        messageId,
        tenantId,
        recipient,
        at: `${DAY1}T09:00:01.000Z`,
        status,
        code: 250,
        reply: '250 ok',
        host: 'mx.example.net',
        tls: true,
      });
      await store.gateway.insertAttempts([
        attempt('m1', 'ten_a', 'a@example.net', 'delivered'),
        attempt('m1', 'ten_a', 'b@example.net', 'delivered'),
        attempt('m1', 'ten_a', 'b@example.net', 'deferred'),
        attempt('m2', 'ten_b', 'a@example.net', 'delivered'),
      ]);
      const t = store.tracking;
      // Recipient 0 opens twice (one unique open) and clicks link 0 twice; recipient 1 clicks link 1; a proxy opens.
      await t.insert(visit({ kind: 'open', linkIndex: 0, url: '' }));
      await t.insert(visit({ kind: 'open', linkIndex: 0, url: '', at: `${DAY1}T11:00:00.000Z` }));
      await t.insert(
        visit({
          kind: 'open',
          recipientIndex: 1,
          url: '',
          class: 'privacy-proxy',
          rule: 'gmail-image-proxy',
        }),
      );
      await t.insert(visit({}));
      await t.insert(visit({ at: `${DAY1}T12:00:00.000Z` }));
      await t.insert(visit({ recipientIndex: 1, linkIndex: 1, url: 'https://shop.example/b' }));
      await t.insert(
        visit({
          recipientIndex: 1,
          linkIndex: 1,
          url: 'https://shop.example/b',
          class: 'scanner',
          rule: 'x',
        }),
      );
      await t.insert(visit({ at: `${DAY2}T08:00:00.000Z`, recipientIndex: 1 }));
      const days = await t.days('ten_a', 'dom_a', DAY1, DAY2);
      assert.deepEqual(days, [
        {
          day: DAY1,
          delivered: 2,
          opens: { human: 1, 'privacy-proxy': 1, scanner: 0 },
          clicks: { human: 2, 'privacy-proxy': 0, scanner: 1 },
        },
        {
          day: DAY2,
          delivered: 0,
          opens: { human: 0, 'privacy-proxy': 0, scanner: 0 },
          clicks: { human: 1, 'privacy-proxy': 0, scanner: 0 },
        },
      ]);
      assert.deepEqual(
        await t.days('ten_b', 'dom_a', DAY1, DAY2),
        [],
        'another tenant sees nothing of dom_a',
      );
      const links = await t.domainLinks('ten_a', 'dom_a', DAY1, DAY2, 10);
      assert.deepEqual(links, [
        {
          url: 'https://shop.example/a',
          linkIndex: null,
          unique: { human: 2, 'privacy-proxy': 0, scanner: 0 },
          humanClicks: 3,
        },
        {
          url: 'https://shop.example/b',
          linkIndex: null,
          unique: { human: 1, 'privacy-proxy': 0, scanner: 1 },
          humanClicks: 1,
        },
      ]);
      const top = await t.messageLinks('ten_a', 'm1');
      assert.deepEqual(
        top.map((l) => [l.linkIndex, l.url, l.unique.human, l.humanClicks]),
        [
          [0, 'https://shop.example/a', 2, 3],
          [1, 'https://shop.example/b', 1, 1],
        ],
      );
      assert.deepEqual(await t.messageLinks('ten_b', 'm1'), [], "another tenant's message");
    });
  });

  test('tracking: insertAll stores a batch; events.insertAll stores events with their outbox rows', async () => {
    await withStore(async (store) => {
      await store.tracking.insertAll([visit({}), visit({ linkIndex: 1, url: 'https://shop.example/b' })]);
      assert.deepEqual((await store.tracking.list('ten_a', { limit: 10 })).map((e) => e.url).sort(), [
        'https://shop.example/a',
        'https://shop.example/b',
      ]);
      const at = `${DAY1}T10:00:00.000Z`;
      const event = (id: string) => ({
        id,
        tenantId: 'ten_a',
        domainId: null,
        type: 'tracking.click',
        severity: 'info' as const,
        message: 'clicked',
        data: { n: 1 },
        at,
      });
      await store.events.insertAll([
        { event: event('evt_1'), deliveries: [] },
        {
          event: event('evt_2'),
          deliveries: [
            {
              id: 'dlv_1',
              eventId: 'evt_2',
              tenantId: 'ten_a',
              channel: 'webhook',
              target: 'https://hooks.example/',
              status: 'pending',
              attempts: 0,
              nextAttemptAt: at,
              lastError: null,
              deliveredAt: null,
              createdAt: at,
            },
          ],
        },
      ]);
      assert.deepEqual(await store.events.findEvent('evt_1'), event('evt_1'));
      assert.deepEqual(
        (await store.events.deliveriesOf('evt_2')).map((d) => d.id),
        ['dlv_1'],
      );
    });
  });

  test('tracking: purge deletes the events before the cut-off only', async () => {
    await withStore(async (store) => {
      await store.tracking.insert(visit({ at: `${DAY1}T10:00:00.000Z` }));
      await store.tracking.insert(visit({ at: `${DAY2}T10:00:00.000Z` }));
      assert.equal(await store.tracking.purge(`${DAY2}T00:00:00.000Z`), 1);
      assert.deepEqual(
        (await store.tracking.list('ten_a', { limit: 10 })).map((e) => e.at),
        [`${DAY2}T10:00:00.000Z`],
      );
    });
  });
}
