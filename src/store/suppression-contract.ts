/**
 * The contract of the suppression port, part of the store contract: run against SQLite and PostgreSQL alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Suppression, SuppressionAudit } from '../suppression/index.ts';
import type { Store } from './store.ts';

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

const T0 = '2026-12-01T00:00:00.000Z';
const T1 = '2026-12-02T00:00:00.000Z';
const T2 = '2026-12-03T00:00:00.000Z';

function entry(address: string, more: Partial<Suppression> = {}): Suppression {
  return {
    tenantId: 'ten_a',
    address,
    reason: 'hard-bounce',
    source: 'bounce',
    evidence: '550 5.1.1 no such user',
    messageId: 'm1',
    createdAt: T0,
    expiresAt: null,
    createdBy: 'gateway',
    ...more,
  };
}

const added = (s: Suppression, why = 'hard bounce'): SuppressionAudit => ({
  tenantId: s.tenantId,
  address: s.address,
  action: 'added',
  reason: s.reason,
  at: s.createdAt,
  actor: s.createdBy,
  why,
});

export function describeSuppressionContract(withStore: WithStore): void {
  test('suppressions: found by tenant and exact address while in force; another tenant sees nothing', async () => {
    await withStore(async (store) => {
      const s = entry('Reader@example.com');
      await store.suppressions.put(s, added(s));
      assert.deepEqual(await store.suppressions.find('ten_a', 'Reader@example.com', T1), s);
      assert.equal(
        await store.suppressions.find('ten_a', 'reader@example.com', T1),
        null,
        'local part as written',
      );
      assert.equal(await store.suppressions.find('ten_b', 'Reader@example.com', T1), null, 'another tenant');
      const soft = entry('soft@example.com', { reason: 'soft-bounce', expiresAt: T1 });
      await store.suppressions.put(soft, added(soft));
      assert.equal((await store.suppressions.find('ten_a', 'soft@example.com', T0))?.reason, 'soft-bounce');
      assert.equal(await store.suppressions.find('ten_a', 'soft@example.com', T1), null, 'expired at T1');
      assert.equal((await store.suppressions.get('ten_a', 'soft@example.com'))?.expiresAt, T1, 'still there');
    });
  });

  test('suppressions: an entry scoped to a sender domain applies to that domain only, beside the tenant-wide one', async () => {
    await withStore(async (store) => {
      const scoped = entry('pat@example.com', { reason: 'manual', source: 'api', domain: 'news.a.example' });
      await store.suppressions.put(scoped, { ...added(scoped, 'newsletter only'), domain: 'news.a.example' });
      const find = (senderDomain?: string) =>
        store.suppressions.find('ten_a', 'pat@example.com', T1, senderDomain);
      assert.deepEqual(await find('news.a.example'), scoped);
      assert.equal(await find('shop.a.example'), null, 'another sender domain');
      assert.equal(await find(), null, 'without a sender domain only the tenant-wide entry counts');
      // The tenant-wide entry for the same address is a second row; it applies to every domain and comes first.
      const wide = entry('pat@example.com');
      await store.suppressions.put(wide, added(wide));
      assert.deepEqual(await find('shop.a.example'), wide);
      assert.deepEqual(await find('news.a.example'), wide, "the tenant's own entry is named first");
      assert.deepEqual(await store.suppressions.get('ten_a', 'pat@example.com', 'news.a.example'), scoped);
      assert.deepEqual(await store.suppressions.get('ten_a', 'pat@example.com'), wide);
      const many = await store.suppressions.findMany('ten_a', ['pat@example.com'], T1);
      assert.deepEqual([...many.keys()].sort(), ['pat@example.com', 'pat@example.com\u0000news.a.example']);
      const page = await store.suppressions.list('ten_a', { now: T1, limit: 10, offset: 0 });
      assert.equal(page.total, 2);

      // Removing the tenant-wide entry leaves the scoped one, and the other way round.
      const removal: SuppressionAudit = {
        tenantId: 'ten_a',
        address: 'pat@example.com',
        action: 'removed',
        reason: 'hard-bounce',
        at: T1,
        actor: 'test',
        why: 'mailbox fixed',
      };
      assert.equal(await store.suppressions.remove('ten_a', 'pat@example.com', removal), true);
      assert.deepEqual(await find('news.a.example'), scoped);
      assert.equal(await find('shop.a.example'), null);
      assert.equal(
        await store.suppressions.remove('ten_a', 'pat@example.com', { ...removal, domain: 'news.a.example' }),
        true,
      );
      assert.equal(await find('news.a.example'), null);
      const audit = await store.suppressions.audit('ten_a', 'pat@example.com', 10);
      assert.deepEqual(
        audit.map((a) => [a.action, a.domain ?? null]),
        [
          ['removed', 'news.a.example'],
          ['removed', null],
          ['added', null],
          ['added', 'news.a.example'],
        ],
      );
    });
  });

  test('suppressions: put replaces the entry; remove deletes it; both are in the audit trail, newest first', async () => {
    await withStore(async (store) => {
      const soft = entry('a@example.com', { reason: 'soft-bounce', expiresAt: T2 });
      await store.suppressions.put(soft, added(soft, 'soft bounces'));
      const hard = entry('a@example.com', { createdAt: T1 });
      await store.suppressions.put(hard, added(hard));
      assert.deepEqual(await store.suppressions.get('ten_a', 'a@example.com'), hard);
      const removal: SuppressionAudit = {
        tenantId: 'ten_a',
        address: 'a@example.com',
        action: 'removed',
        reason: 'hard-bounce',
        at: T2,
        actor: 'key:k1',
        why: 'the customer fixed the mailbox',
      };
      assert.equal(
        await store.suppressions.remove('ten_b', 'a@example.com', { ...removal, tenantId: 'ten_b' }),
        false,
      );
      assert.equal(await store.suppressions.remove('ten_a', 'a@example.com', removal), true);
      assert.equal(await store.suppressions.remove('ten_a', 'a@example.com', removal), false, 'gone already');
      assert.equal(await store.suppressions.get('ten_a', 'a@example.com'), null);
      const trail = await store.suppressions.audit('ten_a', 'a@example.com', 10);
      assert.deepEqual(
        trail.map((a) => [a.action, a.reason, a.actor, a.why]),
        [
          ['removed', 'hard-bounce', 'key:k1', 'the customer fixed the mailbox'],
          ['added', 'hard-bounce', 'gateway', 'hard bounce'],
          ['added', 'soft-bounce', 'gateway', 'soft bounces'],
        ],
      );
      assert.deepEqual(await store.suppressions.audit('ten_b', null, 10), []);
    });
  });

  test('suppressions: pages newest first with the total; a search matches part of the address, literally', async () => {
    await withStore(async (store) => {
      for (let i = 0; i < 5; i++) {
        const s = entry(`user${i}@example.com`, { createdAt: `2026-12-01T00:00:0${i}.000Z` });
        await store.suppressions.put(s, added(s));
      }
      const odd = entry('100%_x@example.org');
      await store.suppressions.put(odd, added(odd));
      const gone = entry('expired@example.com', { expiresAt: T0 });
      await store.suppressions.put(gone, added(gone));
      const page = await store.suppressions.list('ten_a', { now: T1, limit: 2, offset: 1 });
      assert.equal(page.total, 6, 'the expired entry is not counted');
      assert.deepEqual(
        page.items.map((s) => s.address),
        ['user3@example.com', 'user2@example.com'],
      );
      const found = await store.suppressions.list('ten_a', { now: T1, contains: '%_', limit: 10, offset: 0 });
      assert.deepEqual(
        found.items.map((s) => s.address),
        ['100%_x@example.org'],
      );
      assert.equal(
        (await store.suppressions.list('ten_a', { now: T1, contains: 'user', limit: 1, offset: 0 })).total,
        5,
      );
      assert.equal(
        (await store.suppressions.list('ten_a', { now: T1, contains: 'USER3', limit: 1, offset: 0 })).total,
        1,
        'a search ignores case on both dialects',
      );
      assert.equal((await store.suppressions.list('ten_b', { now: T1, limit: 10, offset: 0 })).total, 0);
    });
  });

  test('suppressions: many put and found at once, replacing what is there, each with its audit row', async () => {
    await withStore(async (store) => {
      const old = entry('x0@example.com', { reason: 'soft-bounce', expiresAt: T2 });
      await store.suppressions.put(old, added(old));
      const many = Array.from({ length: 700 }, (_, i) => entry(`x${i}@example.com`, { source: 'import' }));
      await store.suppressions.putMany(
        many,
        many.map((s) => added(s, 'imported')),
      );
      assert.equal(
        (await store.suppressions.get('ten_a', 'x0@example.com'))?.reason,
        'hard-bounce',
        'replaced',
      );
      const found = await store.suppressions.findMany(
        'ten_a',
        ['x0@example.com', 'x699@example.com', 'nobody@example.com'],
        T1,
      );
      assert.deepEqual([...found.keys()].sort(), ['x0@example.com', 'x699@example.com']);
      assert.equal((await store.suppressions.findMany('ten_b', ['x0@example.com'], T1)).size, 0);
      assert.equal((await store.suppressions.list('ten_a', { now: T1, limit: 1, offset: 0 })).total, 700);
      assert.equal((await store.suppressions.audit('ten_a', null, 1000)).length, 701);
    });
  });

  test("suppressions: a tenant's action is refuse until it chooses drop, and per tenant", async () => {
    await withStore(async (store) => {
      assert.equal(await store.suppressions.action('ten_a'), 'refuse');
      await store.suppressions.setAction('ten_a', 'drop', T0, 'user:u1');
      assert.equal(await store.suppressions.action('ten_a'), 'drop');
      assert.equal(await store.suppressions.action('ten_b'), 'refuse');
      await store.suppressions.setAction('ten_a', 'refuse', T1, 'user:u1');
      assert.equal(await store.suppressions.action('ten_a'), 'refuse');
    });
  });

  test('suppressions: soft bounces of a recipient are counted since a time, per tenant', async () => {
    await withStore(async (store) => {
      const bounce = (at: string, bounceClass: 'soft' | 'hard', tenantId = 'ten_a') => ({
        messageId: `m-${at}`,
        tenantId,
        domainId: null,
        recipient: 'r@example.com',
        at,
        reason: 'expired' as const,
        code: 452,
        reply: '4.2.2 mailbox full',
        class: bounceClass,
        rule: 'status.mailbox-full',
        status: '4.2.2',
      });
      await store.gateway.insertBounces([
        bounce(T0, 'soft'),
        bounce(T1, 'soft'),
        bounce(T2, 'soft'),
        bounce(T2, 'hard'),
        bounce(T2, 'soft', 'ten_b'),
      ]);
      assert.equal(await store.suppressions.countBounces('ten_a', 'r@example.com', 'soft', T1), 2);
      assert.equal(await store.suppressions.countBounces('ten_a', 'r@example.com', 'soft', T0), 3);
      assert.equal(await store.suppressions.countBounces('ten_a', 'x@example.com', 'soft', T0), 0);
    });
  });

  test('suppressions: purgeExpired deletes what expired at or before now, in batches, with audit rows', async () => {
    await withStore(async (store) => {
      const soft = (address: string, expiresAt: string, tenantId = 'ten_a') =>
        entry(address, { tenantId, reason: 'soft-bounce', expiresAt });
      for (const s of [
        soft('a@example.com', T0),
        soft('b@example.com', T1),
        soft('c@example.com', T2),
        soft('d@example.com', T1, 'ten_b'),
        entry('hard@example.com'),
      ]) {
        await store.suppressions.put(s, added(s));
      }
      assert.equal(await store.suppressions.purgeExpired(T1, 2, 'senderd'), 2, 'a batch of two');
      assert.equal(await store.suppressions.purgeExpired(T1, 2, 'senderd'), 1, 'the rest');
      assert.equal(await store.suppressions.purgeExpired(T1, 2, 'senderd'), 0);
      assert.equal(await store.suppressions.get('ten_a', 'a@example.com'), null);
      assert.equal(await store.suppressions.get('ten_b', 'd@example.com'), null);
      assert.equal(
        (await store.suppressions.get('ten_a', 'c@example.com'))?.expiresAt,
        T2,
        'not yet expired',
      );
      assert.equal((await store.suppressions.get('ten_a', 'hard@example.com'))?.reason, 'hard-bounce');
      const audit = await store.suppressions.audit('ten_a', 'b@example.com', 10);
      assert.deepEqual(
        audit.map((a) => [a.action, a.reason, a.actor, a.why]),
        [
          ['removed', 'soft-bounce', 'senderd', 'expired'],
          ['added', 'soft-bounce', 'gateway', 'hard bounce'],
        ],
      );
    });
  });
}
