/**
 * The contract of the feedback and figures ports, part of the store contract: run against SQLite and PostgreSQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeedbackRecord } from '../complaints/index.ts';
import type { MessageTrace } from '../gateway/index.ts';
import { contractDomain } from './contract-fixtures.ts';
import type { Store } from './store.ts';

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

const record = (more: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
  kind: 'complaint',
  tenantId: 'ten_a',
  domainId: 'd1',
  messageId: 'm1',
  recipient: 'r@example.com',
  at: '2026-12-01T10:00:00.000Z',
  matchedBy: 'verp',
  feedbackType: 'abuse',
  userAgent: 'Yahoo!-Mail-Feedback/2.0',
  reporter: 'yahoo.com',
  evidence: '{}',
  ...more,
});

const message = (
  id: string,
  at: string,
  recipients: string[],
  domainId: string | null = 'd1',
): MessageTrace => ({
  id,
  tenantId: 'ten_a',
  domainId,
  senderDomain: 'example.com',
  headerFrom: 'a@example.com',
  submittedMailFrom: 'a@example.com',
  recipients: recipients.map((address) => ({ address, envelopeFrom: `b-${id}@bounce.example.com` })),
  signatures: [],
  signingDecision: 'signed',
  clientAddress: '127.0.0.1',
  credential: null,
  size: 100,
  acceptedAt: at,
  status: 'delivered',
  updatedAt: at,
});

export function describeFeedbackContract(withStore: WithStore): void {
  test('feedback: one record per message, recipient and kind; unmatched ones are all kept; listed per tenant', async () => {
    await withStore(async (store) => {
      assert.equal(await store.feedback.insert(record()), true);
      assert.equal(await store.feedback.insert(record({ at: '2026-12-01T11:00:00.000Z' })), false, 'again');
      assert.equal(await store.feedback.insert(record({ kind: 'unsubscribe', matchedBy: 'mailto' })), true);
      const unmatched = record({
        tenantId: null,
        domainId: null,
        messageId: null,
        recipient: null,
        matchedBy: null,
      });
      assert.equal(await store.feedback.insert(unmatched), true);
      assert.equal(await store.feedback.insert(unmatched), true, 'unmatched reports are not deduplicated');
      assert.deepEqual(
        (await store.feedback.list('ten_a', 10)).map((r) => r.kind),
        ['unsubscribe', 'complaint'],
      );
      assert.deepEqual(await store.feedback.list('ten_b', 10), []);
      assert.equal((await store.feedback.list(null, 10)).length, 2);
      assert.deepEqual((await store.feedback.list('ten_a', 10))[1], record());
    });
  });

  test('figures: per day sent, delivered, bounces by class, complaints, unsubscribes; one domain only', async () => {
    await withStore(async (store) => {
      await store.domains.insert(contractDomain('d1', 'ten_a', 'example.com'));
      await store.domains.insert(contractDomain('d2', 'ten_a', 'example.org'));
      await store.gateway.insertMessages([
        message('m1', '2026-12-01T09:00:00.000Z', ['a@x.test', 'b@x.test', 'c@x.test']),
        message('m2', '2026-12-02T09:00:00.000Z', ['a@x.test']),
        message('m3', '2026-12-01T09:00:00.000Z', ['z@x.test'], 'd2'),
      ]);
      const attempt = (
        messageId: string,
        recipient: string,
        at: string,
        status: 'delivered' | 'deferred',
      ) => ({
        messageId,
        tenantId: 'ten_a',
        recipient,
        at,
        status,
        code: 250,
        reply: '250 ok',
        host: 'mx.x.test',
        tls: true,
      });
      await store.gateway.insertAttempts([
        attempt('m1', 'a@x.test', '2026-12-01T09:00:01.000Z', 'delivered'),
        attempt('m1', 'b@x.test', '2026-12-01T09:00:01.000Z', 'deferred'),
        attempt('m1', 'b@x.test', '2026-12-02T00:30:00.000Z', 'delivered'),
        attempt('m2', 'a@x.test', '2026-12-02T09:00:01.000Z', 'delivered'),
        attempt('m3', 'z@x.test', '2026-12-01T09:00:01.000Z', 'delivered'),
      ]);
      await store.gateway.insertBounces([
        {
          messageId: 'm1',
          tenantId: 'ten_a',
          domainId: 'd1',
          recipient: 'c@x.test',
          at: '2026-12-01T09:00:02.000Z',
          reason: 'rejected',
          code: 550,
          reply: '550 5.1.1 no such user',
          class: 'hard',
          rule: 'status.bad-mailbox',
          status: '5.1.1',
        },
      ]);
      await store.feedback.insert(record({ at: '2026-12-02T10:00:00.000Z' }));
      await store.feedback.insert(
        record({ kind: 'unsubscribe', recipient: 'b@x.test', at: '2026-12-02T11:00:00.000Z' }),
      );
      const days = await store.figures.domainDays('ten_a', 'd1', '2026-12-01', '2026-12-02');
      assert.deepEqual(days, [
        {
          day: '2026-12-01',
          sent: 3,
          delivered: 1,
          hard: 1,
          soft: 0,
          block: 0,
          unknown: 0,
          complaints: 0,
          unsubscribes: 0,
        },
        {
          day: '2026-12-02',
          sent: 1,
          delivered: 2,
          hard: 0,
          soft: 0,
          block: 0,
          unknown: 0,
          complaints: 1,
          unsubscribes: 1,
        },
      ]);
      assert.deepEqual(
        await store.figures.domainDays('ten_b', 'd1', '2026-12-01', '2026-12-02'),
        [],
        'tenant',
      );
      assert.deepEqual(
        (await store.figures.domainDays('ten_a', 'd1', '2026-12-02', '2026-12-02')).map((d) => d.day),
        ['2026-12-02'],
      );
    });
  });

  test('figures: a crossing is recorded once per domain, day and threshold', async () => {
    await withStore(async (store) => {
      const now = '2026-12-01T10:00:00.000Z';
      assert.equal(await store.figures.markCrossing('d1', '2026-12-01', '0.1%', now), true);
      assert.equal(await store.figures.markCrossing('d1', '2026-12-01', '0.1%', now), false);
      assert.equal(await store.figures.markCrossing('d1', '2026-12-01', '0.3%', now), true);
      assert.equal(await store.figures.markCrossing('d1', '2026-12-02', '0.1%', now), true);
    });
  });
}
