/**
 * The store contract: one suite, run against every implementation (SQLite in store.test.ts, PostgreSQL in
 * test/store/postgres.test.ts). An implementation is correct when it passes all of it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SenderDomain } from '../domains/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import type { Store } from './store.ts';
import { describeSessionContract } from './session-contract.ts';
import { describePlatformSecretContract } from './platform-secret-contract.ts';
import { describeTeamContract } from './team-contract.ts';
import { describeReportLoadContract } from './report-load-contract.ts';
import { describeSourceAuthContract } from './source-auth-contract.ts';
import { describeEdgeContract } from './edge-contract.ts';
import { describeJobLeaseContract } from './job-lease-contract.ts';
import { describeAlertContract } from './alert-contract.ts';
import { describeSuppressionContract } from './suppression-contract.ts';
import { describeFeedbackContract } from './feedback-contract.ts';
import { describeTrackingContract } from './tracking-contract.ts';
import { describeGatewayTraceContract } from './gateway-trace-contract.ts';

export type StoreFactory = () => Promise<{ store: Store; close: () => Promise<void> }>;

const T0 = '2026-11-01T00:00:00.000Z';

function domain(
  overrides: Partial<SenderDomain> & Pick<SenderDomain, 'id' | 'tenantId' | 'name' | 'token'>,
): SenderDomain {
  return {
    settings: {
      mode: 'delegated',
      bounceLabel: 'bounce',
      clickLabel: 'clicks',
      tracking: true,
      spfMechanisms: ['ip4:192.0.2.1'],
      dkimSelectors: [],
      ownDkimSelectors: [{ selector: 'google' }],
    },
    createdAt: T0,
    updatedAt: T0,
    verifiedAt: null,
    ...overrides,
  };
}

async function withStore(factory: StoreFactory, fn: (store: Store) => Promise<void>): Promise<void> {
  const { store, close } = await factory();
  try {
    await store.migrate();
    await store.accounts.insertTenant({ id: 'ten_a', name: 'alpha', createdAt: T0 });
    await store.accounts.insertTenant({ id: 'ten_b', name: 'beta', createdAt: T0 });
    await fn(store);
  } finally {
    await close();
  }
}

export function describeStoreContract(label: string, factory: StoreFactory): void {
  describe(`store contract: ${label}`, () => {
    test('migrations apply once and are then a no-op', async () => {
      const { store, close } = await factory();
      try {
        const first = await store.migrate();
        assert.ok(first.includes('0001-foundation'), `applied ${first.join(', ')}`);
        assert.deepEqual(await store.migrate(), []);
      } finally {
        await close();
      }
    });

    test('tenants: found by id and name, listed by name, names unique', async () => {
      await withStore(factory, async (store) => {
        assert.equal((await store.accounts.findTenantByName('alpha'))?.id, 'ten_a');
        assert.equal((await store.accounts.findTenantById('ten_b'))?.name, 'beta');
        assert.equal(await store.accounts.findTenantById('ten_x'), null);
        assert.deepEqual(
          (await store.accounts.listTenants()).map((t) => t.name),
          ['alpha', 'beta'],
        );
        await assert.rejects(store.accounts.insertTenant({ id: 'ten_c', name: 'alpha', createdAt: T0 }));
      });
    });

    test('API keys: stored hashed, listed per tenant, revoked only by their tenant', async () => {
      await withStore(factory, async (store) => {
        const key = {
          id: 'k1',
          tenantId: 'ten_a',
          name: 'ci',
          secretHash: 'ab'.repeat(32),
          createdAt: T0,
          lastUsedAt: null,
          revokedAt: null,
        };
        await store.accounts.insertApiKey(key);
        assert.deepEqual(await store.accounts.findApiKey('k1'), key);
        assert.deepEqual(await store.accounts.listApiKeys('ten_b'), []);
        await store.accounts.touchApiKey('k1', '2026-11-02T00:00:00.000Z');
        assert.equal((await store.accounts.findApiKey('k1'))?.lastUsedAt, '2026-11-02T00:00:00.000Z');
        assert.equal(
          await store.accounts.revokeApiKey('ten_b', 'k1', T0),
          false,
          'another tenant revoked the key',
        );
        assert.equal(await store.accounts.revokeApiKey('ten_a', 'k1', T0), true);
        assert.equal(await store.accounts.revokeApiKey('ten_a', 'k1', T0), false, 'revoked twice');
      });
    });

    test("event deliveries: a tenant's latest, newest first, with the event's type, never another tenant's", async () => {
      await withStore(factory, async (store) => {
        const event = (id: string, tenantId: string, at: string) => ({
          id,
          tenantId,
          domainId: null,
          type: `test.${id}`,
          severity: 'info' as const,
          message: id,
          data: {},
          at,
        });
        const delivery = (id: string, eventId: string, tenantId: string, createdAt: string) => ({
          id,
          eventId,
          tenantId,
          channel: 'webhook' as const,
          target: 'https://hooks.example.com/x',
          status: 'pending' as const,
          attempts: 0,
          nextAttemptAt: createdAt,
          lastError: null,
          deliveredAt: null,
          createdAt,
        });
        await store.events.insert(event('e1', 'ten_a', T0), [delivery('d1', 'e1', 'ten_a', T0)]);
        const T1 = '2026-11-01T00:05:00.000Z';
        await store.events.insert(event('e2', 'ten_a', T1), [delivery('d2', 'e2', 'ten_a', T1)]);
        await store.events.insert(event('e3', 'ten_b', T1), [delivery('d3', 'e3', 'ten_b', T1)]);
        await store.events.settle('d1', {
          status: 'failed',
          attempts: 8,
          nextAttemptAt: T1,
          error: 'HTTP 500',
        });
        const latest = await store.events.recentDeliveries('ten_a', 10);
        assert.deepEqual(
          latest.map((d) => [d.id, d.eventType, d.status, d.lastError]),
          [
            ['d2', 'test.e2', 'pending', null],
            ['d1', 'test.e1', 'failed', 'HTTP 500'],
          ],
        );
        assert.deepEqual(
          (await store.events.recentDeliveries('ten_a', 1)).map((d) => d.id),
          ['d2'],
        );
      });
    });

    test('users: unique e-mail, found by e-mail', async () => {
      await withStore(factory, async (store) => {
        const user = {
          id: 'u1',
          tenantId: 'ten_a',
          email: 'a@example.com',
          passwordHash: 'scrypt$x',
          role: 'owner' as const,
          createdAt: T0,
        };
        await store.accounts.insertUser(user);
        assert.deepEqual(await store.accounts.findUserByEmail('a@example.com'), user);
        await assert.rejects(store.accounts.insertUser({ ...user, id: 'u2' }));
      });
    });

    test('domains: settings round-trip; lookups are scoped to the tenant', async () => {
      await withStore(factory, async (store) => {
        const d = domain({
          id: 'd1',
          tenantId: 'ten_a',
          name: 'example.com' as DomainName,
          token: 'tok000000001',
        });
        assert.equal(await store.domains.insert(d), 'ok');
        assert.deepEqual(await store.domains.findByName('ten_a', d.name), d);
        assert.equal(await store.domains.findByName('ten_b', d.name), null);
        assert.deepEqual(await store.domains.listByTenant('ten_b'), []);
        const updated = {
          ...d,
          settings: {
            ...d.settings,
            mode: 'self-hosted' as const,
            tracking: false,
            mtaSts: {
              mode: 'testing' as const,
              mx: ['mx1.example.com', '*.example.net'],
              checkedMx: ['mx1.example.com'],
              checkedAt: '2026-11-03T00:00:00.000Z',
            },
          },
          updatedAt: '2026-11-03T00:00:00.000Z',
        };
        await store.domains.update(updated);
        assert.deepEqual(await store.domains.findByName('ten_a', d.name), updated);
        // MTA-STS off again: the field goes (null is written as no settings).
        const off = { ...updated, settings: { ...updated.settings, mtaSts: null } };
        await store.domains.update(off);
        const { mtaSts: _off, ...withoutMtaSts } = off.settings;
        assert.deepEqual((await store.domains.findByName('ten_a', d.name))?.settings, withoutMtaSts);
        // Sending settings (1000-domains-sending) read back as written.
        const sending = {
          ...d,
          settings: {
            ...d.settings,
            sending: { clicks: true, opens: false, bulk: true, feedbackId: 'news:acme' },
          },
        };
        await store.domains.update(sending);
        assert.deepEqual(await store.domains.findByName('ten_a', d.name), sending);
      });
    });

    test('dkim policies: the overrides of some domains, read in bulk as of all of them', async () => {
      await withStore(factory, async (store) => {
        for (const [id, token] of [
          ['d1', 'tok000000001'],
          ['d2', 'tok000000002'],
          ['d3', 'tok000000003'],
        ] as const) {
          await store.domains.insert(
            domain({ id, tenantId: 'ten_a', name: `${id}.example` as DomainName, token }),
          );
        }
        await store.dkim.setPolicyOverrides('d1', 'ten_a', { ed25519: true }, T0);
        await store.dkim.setPolicyOverrides('d3', 'ten_a', { rsaBits: 3072 }, T0);
        const some = await store.readingInBulk(() => store.dkim.policyOverridesOf(['d1', 'd2', 'nope']));
        assert.deepEqual([...some], [['d1', { ed25519: true }]]);
        assert.deepEqual(
          [...(await store.dkim.policyOverridesOf(['d3', 'd1']))].sort(),
          [...(await store.dkim.allPolicyOverrides())].sort(),
        );
        assert.deepEqual([...(await store.dkim.policyOverridesOf([]))], []);
      });
    });

    test('bimi: one logo per domain, replaced by the next, gone with the domain', async () => {
      await withStore(factory, async (store) => {
        const d = domain({
          id: 'd1',
          tenantId: 'ten_a',
          name: 'example.com' as DomainName,
          token: 'tok000000001',
        });
        assert.equal(await store.domains.insert(d), 'ok');
        assert.equal(await store.bimi.get('d1'), null);
        const logo = {
          domainId: 'd1',
          tenantId: 'ten_a',
          sha256: 'a'.repeat(64),
          svg: '<svg>ä</svg>',
          bytes: 13,
          uploadedAt: T0,
        };
        await store.bimi.put(logo);
        assert.deepEqual(await store.bimi.get('d1'), logo);
        const next = { ...logo, sha256: 'b'.repeat(64), svg: '<svg/>', bytes: 6 };
        await store.bimi.put(next);
        assert.deepEqual(await store.bimi.get('d1'), next);
        await store.bimi.remove('d1');
        assert.equal(await store.bimi.get('d1'), null);
        await store.bimi.put(logo);
        await store.domains.remove('ten_a', d.name, T0);
        assert.equal(await store.bimi.get('d1'), null);
      });
    });

    test('domains: the same name twice for one tenant is refused; another tenant may add it', async () => {
      await withStore(factory, async (store) => {
        const name = 'example.com' as DomainName;
        assert.equal(
          await store.domains.insert(domain({ id: 'd1', tenantId: 'ten_a', name, token: 'tok000000001' })),
          'ok',
        );
        assert.equal(
          await store.domains.insert(domain({ id: 'd2', tenantId: 'ten_a', name, token: 'tok000000002' })),
          'name_taken',
        );
        assert.equal(
          await store.domains.insert(domain({ id: 'd3', tenantId: 'ten_b', name, token: 'tok000000003' })),
          'ok',
        );
        assert.deepEqual(
          (await store.domains.listAll()).map((d) => d.tenantId),
          ['ten_a', 'ten_b'],
        );
      });
    });

    test('domains: a token is never issued twice, even after its domain is removed', async () => {
      await withStore(factory, async (store) => {
        const name = 'example.com' as DomainName;
        assert.equal(
          await store.domains.insert(domain({ id: 'd1', tenantId: 'ten_a', name, token: 'tok000000001' })),
          'ok',
        );
        assert.equal(
          await store.domains.remove('ten_b', name, T0),
          false,
          'another tenant removed the domain',
        );
        assert.equal(await store.domains.remove('ten_a', name, T0), true);
        assert.equal(await store.domains.findByName('ten_a', name), null);
        const again = domain({
          id: 'd2',
          tenantId: 'ten_b',
          name: 'other.example' as DomainName,
          token: 'tok000000001',
        });
        assert.equal(await store.domains.insert(again), 'token_taken');
      });
    });

    test('domains: concurrent inserts of one name end with exactly one domain', async () => {
      await withStore(factory, async (store) => {
        const name = 'race.example' as DomainName;
        const outcomes = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            store.domains.insert(
              domain({ id: `d${i}`, tenantId: 'ten_a', name, token: `race${String(i).padStart(8, '0')}` }),
            ),
          ),
        );
        assert.equal(outcomes.filter((o) => o === 'ok').length, 1);
        assert.equal(outcomes.filter((o) => o === 'name_taken').length, 11);
        assert.equal((await store.domains.listByTenant('ten_a')).length, 1);
      });
    });

    test('every change is logged with a rising id: add, update, verify, remove', async () => {
      await withStore(factory, async (store) => {
        const ids: number[] = [await store.latestChangeId()];
        const d = domain({
          id: 'd1',
          tenantId: 'ten_a',
          name: 'example.com' as DomainName,
          token: 'tok000000001',
        });
        await store.domains.insert(d);
        ids.push(await store.latestChangeId());
        await store.domains.update({ ...d, updatedAt: T0 });
        ids.push(await store.latestChangeId());
        await store.domains.setVerified('d1', '2026-11-04T00:00:00.000Z', T0);
        ids.push(await store.latestChangeId());
        assert.equal(
          (await store.domains.findByName('ten_a', d.name))?.verifiedAt,
          '2026-11-04T00:00:00.000Z',
        );
        await store.domains.remove('ten_a', d.name, T0);
        ids.push(await store.latestChangeId());
        for (let i = 1; i < ids.length; i++)
          assert.ok(ids[i]! > ids[i - 1]!, `change ids ${ids.join(',')} must rise`);
      });
    });
    describeSessionContract((fn) => withStore(factory, fn));
    describeTeamContract((fn) => withStore(factory, fn));
    describeReportLoadContract((fn) => withStore(factory, fn));
    describeSourceAuthContract((fn) => withStore(factory, fn));
    describePlatformSecretContract((fn) => withStore(factory, fn));
    describeEdgeContract((fn) => withStore(factory, fn));
    describeJobLeaseContract((fn) => withStore(factory, fn));
    describeSuppressionContract((fn) => withStore(factory, fn));
    describeFeedbackContract((fn) => withStore(factory, fn));
    describeAlertContract((fn) => withStore(factory, fn));
    describeTrackingContract((fn) => withStore(factory, fn));
    describeGatewayTraceContract((fn) => withStore(factory, fn));
  });
}
