/**
 * The contract of the gateway's trace port, part of the store contract: run against SQLite and PostgreSQL alike.
 * A message's row is written before its delivery (trace.ts), so its final status always arrives as an update.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageTrace } from '../gateway/index.ts';
import type { Store } from './store.ts';

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

const AT = '2026-12-01T09:00:00.000Z';

function message(id: string, tenantId: string): MessageTrace {
  return {
    id,
    tenantId,
    domainId: null,
    senderDomain: null,
    headerFrom: 'news@example.com',
    submittedMailFrom: 'news@example.com',
    recipients: [{ address: 'a@example.net', envelopeFrom: `b-${id}@bounce.example.com` }],
    signatures: [],
    signingDecision: 'unsigned',
    clientAddress: '192.0.2.1',
    credential: null,
    size: 100,
    acceptedAt: AT,
    status: 'queued',
    updatedAt: AT,
  };
}

export function describeGatewayTraceContract(withStore: WithStore): void {
  test('gateway trace: a batch of statuses (over one statement of 100) updates each message and only those', async () => {
    await withStore(async (store) => {
      const ids = Array.from({ length: 150 }, (_, i) => `m${String(i).padStart(3, '0')}`);
      await store.gateway.insertMessages(ids.slice(0, 100).map((id) => message(id, 'ten_a')));
      await store.gateway.insertMessages([
        ...ids.slice(100).map((id) => message(id, 'ten_a')),
        message('other', 'ten_b'),
      ]);
      const status = (i: number) => (i % 3 === 0 ? 'bounced' : 'delivered');
      await store.gateway.setStatus(
        ids.map((id, i) => ({
          id,
          status: status(i),
          updatedAt: `2026-12-01T09:00:${String(i % 60).padStart(2, '0')}.000Z`,
        })),
      );
      for (const i of [0, 1, 99, 100, 149]) {
        const found = await store.gateway.messageById(ids[i]!);
        assert.equal(found?.status, status(i), ids[i]);
        assert.equal(found?.updatedAt, `2026-12-01T09:00:${String(i % 60).padStart(2, '0')}.000Z`);
      }
      assert.equal(
        (await store.gateway.messageById('other'))?.status,
        'queued',
        'a message not in the batch',
      );
      await store.gateway.setStatus([]);
    });
  });
}
