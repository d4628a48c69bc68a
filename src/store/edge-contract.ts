/**
 * The contract of the edge's port, part of the store contract (SQLite and PostgreSQL): hosts and their certificate
 * state, the lease that lets one node at a time work on a host, certificates (two kept), challenges every node
 * answers, the ACME account (the first stored wins), the order log, the check grades the edge reads, sealed keys
 * for a KEK rotation, and the stamp other nodes watch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainName } from '../domain-name/index.ts';
import { contractDomain } from './contract-fixtures.ts';
import type { StoredCertificate } from '../edge/index.ts';
import type { Store } from './store.ts';

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

const T0 = '2026-11-01T00:00:00.000Z';
const T1 = '2026-11-01T01:00:00.000Z';
const T2 = '2026-11-01T02:00:00.000Z';

const domain = (id: string, tenantId: string, name: string) => contractDomain(id, tenantId, name, T0);

function certificate(id: string, hostname: string, issuedAt: string): StoredCertificate {
  return {
    id,
    hostname,
    serial: id.toUpperCase(),
    issuer: 'CN=Test CA',
    notBefore: T0,
    notAfter: '2027-01-30T00:00:00.000Z',
    issuedAt,
    fingerprint: `FP:${id}`,
    chainPem: `-----BEGIN CERTIFICATE-----\n${id}\n-----END CERTIFICATE-----\n`,
    key: { kekId: 'k1', sealed: `sealed-${id}` },
  };
}

async function twoHosts(store: Store): Promise<void> {
  await store.domains.insert(domain('d1', 'ten_a', 'example.com'));
  await store.domains.insert(domain('d2', 'ten_b', 'example.org'));
  const e = store.edge;
  assert.equal(
    await e.insertHost({
      hostname: 'clicks.example.com',
      role: 'click',
      domainId: 'd1',
      tenantId: 'ten_a',
      at: T0,
    }),
    true,
  );
  assert.equal(
    await e.insertHost({
      hostname: 'clicks.example.org',
      role: 'click',
      domainId: 'd2',
      tenantId: 'ten_b',
      at: T0,
    }),
    true,
  );
}

export function describeEdgeContract(withStore: WithStore): void {
  test('edge hosts: one row per name, state round-trips, tenant-scoped listing, a stamp that moves', () =>
    withStore(async (store) => {
      const e = store.edge;
      const empty = await e.servedStamp();
      await twoHosts(store);
      assert.equal(
        await e.insertHost({
          hostname: 'clicks.example.com',
          role: 'click',
          domainId: 'd2',
          tenantId: 'ten_b',
          at: T0,
        }),
        false,
        'a name has one owner',
      );
      const added = await e.servedStamp();
      assert.notEqual(added, empty);
      const order = { url: 'https://ca.test/order/1', startedAt: T1, key: { kekId: 'k1', sealed: 'abc' } };
      await e.updateHost(
        'clicks.example.com',
        {
          status: 'failed',
          order,
          attempts: 2,
          nextAttemptAt: T2,
          lastError: { message: 'DNS problem: NXDOMAIN looking up A for clicks.example.com', at: T1 },
        },
        T1,
      );
      const host = await e.host('clicks.example.com');
      assert.deepEqual(
        {
          status: host?.status,
          order: host?.order,
          attempts: host?.attempts,
          next: host?.nextAttemptAt,
          error: host?.lastError,
        },
        {
          status: 'failed',
          order,
          attempts: 2,
          next: T2,
          error: { message: 'DNS problem: NXDOMAIN looking up A for clicks.example.com', at: T1 },
        },
      );
      assert.notEqual(await e.servedStamp(), added, 'an update moves the stamp');
      await e.updateHost('clicks.example.com', { order: null, lastError: null }, T2);
      const cleared = await e.host('clicks.example.com');
      assert.equal(cleared?.order, null);
      assert.equal(cleared?.lastError, null);
      assert.equal(cleared?.attempts, 2, 'fields left out stay');
      assert.deepEqual(
        (await e.hostsOfTenant('ten_a')).map((h) => h.hostname),
        ['clicks.example.com'],
      );
      assert.deepEqual(await e.hostsOfTenant('ten_a', 'd2'), [], "another tenant's domain shows nothing");
      assert.deepEqual(
        (await e.hosts()).map((h) => h.hostname),
        ['clicks.example.com', 'clicks.example.org'],
      );
    }));

  test('edge leases: one holder at a time, taken over once expired, given back by the holder only', () =>
    withStore(async (store) => {
      const e = store.edge;
      await twoHosts(store);
      const h = 'clicks.example.com';
      assert.equal(await e.claimHost(h, 'node-a', T2, T0), true);
      assert.equal(await e.claimHost(h, 'node-b', T2, T1), false, 'held by a');
      assert.equal(await e.claimHost(h, 'node-a', T2, T1), true, 'the holder may renew');
      assert.equal(await e.claimHost(h, 'node-b', '2026-11-01T03:00:00.000Z', T2), false, 'expires after T2');
      assert.equal(
        await e.claimHost(h, 'node-b', '2026-11-01T04:00:00.000Z', '2026-11-01T02:00:01.000Z'),
        true,
      );
      await e.releaseHost(h, 'node-a');
      assert.equal(await e.claimHost(h, 'node-c', T2, T2), false, 'only the holder gives it back');
      await e.releaseHost(h, 'node-b');
      assert.equal(await e.claimHost(h, 'node-c', T2, T2), true);
    }));

  test('edge certificates: the newest is served, two are kept, and they go with their domain', () =>
    withStore(async (store) => {
      const e = store.edge;
      await twoHosts(store);
      const h = 'clicks.example.com';
      await e.putChallenge({ token: 'tok-1', hostname: h, keyAuthorization: 'tok-1.thumb', createdAt: T0 });
      for (const [id, at] of [
        ['c1', T0],
        ['c2', T1],
        ['c3', T2],
      ] as const) {
        const before = await e.servedStamp();
        await e.storeCertificate(certificate(id, h, at), { status: 'issued', order: null, attempts: 0 }, at);
        assert.notEqual(await e.servedStamp(), before, 'a new certificate moves the stamp');
      }
      assert.deepEqual(await e.currentCertificate(h), certificate('c3', h, T2));
      assert.equal((await e.host(h))?.certificate?.serial, 'C3');
      const served = await e.servedHosts();
      assert.deepEqual(
        served.find((s) => s.hostname === h),
        {
          hostname: h,
          role: 'click',
          domainId: 'd1',
          tenantId: 'ten_a',
          domain: 'example.com',
          certificateId: 'c3',
        },
      );
      assert.equal(served.find((s) => s.hostname === 'clicks.example.org')?.certificateId, null);
      const keys = await e.sealedKeysNotUnder('k2');
      assert.deepEqual(
        keys
          .filter((k) => k.kind === 'certificate')
          .map((k) => k.id)
          .sort(),
        ['c2', 'c3'],
        'the oldest certificate and its key are gone',
      );
      // A deleted domain takes its host, certificates and challenges with it.
      assert.equal(await store.domains.remove('ten_a', 'example.com' as DomainName, T2), true);
      assert.equal(await e.host(h), null);
      assert.equal(await e.currentCertificate(h), null);
      assert.equal(await e.challenge('tok-1'), null);
      assert.deepEqual(
        (await e.sealedKeysNotUnder('k2')).filter((k) => k.kind === 'certificate'),
        [],
      );
    }));

  test('edge challenges, the ACME account and the order log', () =>
    withStore(async (store) => {
      const e = store.edge;
      await twoHosts(store);
      const h = 'clicks.example.com';
      await e.putChallenge({ token: 'abc', hostname: h, keyAuthorization: 'abc.one', createdAt: T0 });
      await e.putChallenge({ token: 'abc', hostname: h, keyAuthorization: 'abc.two', createdAt: T1 });
      assert.equal((await e.challenge('abc'))?.keyAuthorization, 'abc.two');
      await e.deleteChallenges(h);
      assert.equal(await e.challenge('abc'), null);

      const dir = 'https://ca.test/dir';
      assert.equal(await e.account(dir), null);
      const first = {
        directoryUrl: dir,
        accountUrl: 'https://ca.test/acct/1',
        key: { kekId: 'k1', sealed: 'a' },
        createdAt: T0,
      };
      await e.insertAccountIfAbsent(first);
      await e.insertAccountIfAbsent({ ...first, accountUrl: 'https://ca.test/acct/2' });
      assert.deepEqual(await e.account(dir), first, 'the first account stored wins');

      await e.recordOrder(h, 'https://ca.test/order/1', T0);
      await e.recordOrder(h, 'https://ca.test/order/2', T1);
      await e.removeHost(h);
      assert.equal(await e.ordersSince(T0), 2, 'the log outlives the host');
      assert.equal(await e.ordersSince(T1), 1);
      assert.equal(await e.ordersSince(T2), 0);
    }));

  test('edge reads the check grades of the records it asks for, per domain', () =>
    withStore(async (store) => {
      await twoHosts(store);
      const check = { checkedAt: T1, grade: 'ok' } as unknown as Parameters<
        Store['checks']['save']
      >[0]['check'];
      const state = (key: string, status: 'perfect' | 'error', error: string | null) => ({
        key,
        status,
        error,
        since: T0,
        checkedAt: T1,
      });
      await store.checks.save({ domainId: 'd1', tenantId: 'ten_a', check, nextCheckAt: T2 }, [
        state('tracking', 'perfect', null),
        state('dmarc', 'error', 'missing'),
      ]);
      await store.checks.save({ domainId: 'd2', tenantId: 'ten_b', check, nextCheckAt: T2 }, [
        state('tracking', 'error', 'There is no CNAME'),
      ]);
      const all = await store.edge.recordGrades(['tracking']);
      assert.deepEqual(all.get('d1')?.get('tracking'), { status: 'perfect', error: null, checkedAt: T1 });
      assert.equal(all.get('d1')?.has('dmarc'), false);
      assert.equal(all.get('d2')?.get('tracking')?.error, 'There is no CNAME');
      const one = await store.edge.recordGrades(['tracking'], ['d2']);
      assert.deepEqual([...one.keys()], ['d2']);
      assert.equal((await store.edge.recordGrades(['tracking'], [])).size, 0);
    }));

  test('edge keys under an old KEK are listed and re-wrapped by compare-and-set', () =>
    withStore(async (store) => {
      const e = store.edge;
      await twoHosts(store);
      const h = 'clicks.example.com';
      await e.insertAccountIfAbsent({
        directoryUrl: 'https://ca.test/dir',
        accountUrl: 'https://ca.test/acct/1',
        key: { kekId: 'k1', sealed: 'a' },
        createdAt: T0,
      });
      await e.storeCertificate(certificate('c1', h, T0), { status: 'issued' }, T0);
      await e.updateHost(
        'clicks.example.org',
        { order: { url: 'https://ca.test/order/9', startedAt: T0, key: { kekId: 'k1', sealed: 'o' } } },
        T0,
      );
      const old = await e.sealedKeysNotUnder('k2');
      assert.deepEqual(old.map((k) => `${k.kind} ${k.id} ${k.owner}`).sort(), [
        'account https://ca.test/dir https://ca.test/dir',
        'certificate c1 clicks.example.com',
        'order clicks.example.org clicks.example.org',
      ]);
      for (const key of old) {
        assert.equal(await e.rewrapKey(key, { kekId: 'k2', sealed: `new-${key.id}` }), true);
        assert.equal(
          await e.rewrapKey(key, { kekId: 'k2', sealed: 'again' }),
          false,
          'only from the old KEK',
        );
      }
      assert.deepEqual(await e.sealedKeysNotUnder('k2'), []);
      assert.equal((await e.currentCertificate(h))?.key.sealed, 'new-c1');
      assert.equal((await e.host('clicks.example.org'))?.order?.key.sealed, 'new-clicks.example.org');
    }));
}
