/**
 * The contract of the dashboard's store ports (sessions, users by id, the overview lists), part of the store
 * contract: run against SQLite and PostgreSQL alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contractDomain } from './contract-fixtures.ts';
import type { Store } from './store.ts';

const T0 = '2026-11-01T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const domain = (id: string, tenantId: string, name: string) => contractDomain(id, tenantId, name);

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

export function describeSessionContract(withStore: WithStore): void {
  test('sessions: stored by hash, touched, deleted, and purged when expired or idle', async () => {
    await withStore(async (store) => {
      await store.accounts.insertUser({
        id: 'usr_1',
        tenantId: 'ten_a',
        email: 'ann@alpha.example',
        passwordHash: 'scrypt$x',
        role: 'owner',
        createdAt: T0,
      });
      const base = { userId: 'usr_1', tenantId: 'ten_a', access: 'user' as const, createdAt: T0 };
      await store.sessions.insertSession({ ...base, idHash: 'h1', lastSeenAt: at(0), expiresAt: at(600) });
      await store.sessions.insertSession({ ...base, idHash: 'h2', lastSeenAt: at(0), expiresAt: at(10) });
      await store.sessions.insertSession({ ...base, idHash: 'h3', lastSeenAt: at(50), expiresAt: at(600) });
      assert.deepEqual(await store.sessions.findSession('h1'), {
        ...base,
        idHash: 'h1',
        lastSeenAt: at(0),
        expiresAt: at(600),
      });
      assert.equal(await store.sessions.findSession('nope'), null);
      await store.sessions.touchSession('h1', at(45));
      assert.equal((await store.sessions.findSession('h1'))?.lastSeenAt, at(45));
      // At minute 60 with a 30-minute idle limit: h2 is past its expiry; h1 and h3 were seen recently enough.
      assert.equal(await store.sessions.deleteExpiredSessions(at(60), at(30)), 1);
      assert.equal(await store.sessions.deleteExpiredSessions(at(100), at(70)), 2, 'idle since 45 and 50');
      await store.sessions.insertSession({ ...base, idHash: 'h4', lastSeenAt: at(0), expiresAt: at(600) });
      await store.sessions.deleteSession('h4');
      assert.equal(await store.sessions.findSession('h4'), null);
      assert.equal((await store.sessions.findUserById('usr_1'))?.email, 'ann@alpha.example');
      assert.equal(await store.sessions.findUserById('usr_x'), null);
      assert.deepEqual(
        (await store.sessions.listUsers('ten_a')).map((u) => u.id),
        ['usr_1'],
      );
      assert.deepEqual(await store.sessions.listUsers('ten_b'), []);
    });
  });

  test("overview: a page of a tenant's domains with their badges, searched literally, and tenant counts", async () => {
    await withStore(async (store) => {
      for (const [id, tenant, name] of [
        ['d1', 'ten_a', 'a-one.example'],
        ['d2', 'ten_a', 'b_two.example'],
        ['d3', 'ten_a', 'c%three.example'],
        ['d4', 'ten_b', 'a-one.example'],
      ] as const)
        assert.equal(await store.domains.insert(domain(id, tenant, name)), 'ok');
      const db = store.db;
      await db
        .insertInto('check_results')
        .values({
          domain_id: 'd1',
          tenant_id: 'ten_a',
          checked_at: at(1),
          grade: 'error',
          result: '{}',
          next_check_at: at(60),
        })
        .execute();
      await db
        .insertInto('check_record_states')
        .values(
          ['perfect', 'perfect', 'error'].map((status, i) => ({
            domain_id: 'd1',
            record_key: `k${i}`,
            status,
            error: null,
            since: T0,
            checked_at: at(1),
          })),
        )
        .execute();
      await db
        .insertInto('dmarc_policies')
        .values({
          domain_id: 'd1',
          tenant_id: 'ten_a',
          step: 3,
          options: '{}',
          autopilot: '{"enabled":true}',
          schedule: '[]',
          automated: 1,
          step_changed_at: T0,
          updated_at: T0,
        })
        .execute();
      for (const [id, state, activated] of [
        ['k1', 'retired', at(1)],
        ['k2', 'active', at(5)],
      ] as const)
        await db
          .insertInto('dkim_keys')
          .values({
            id,
            tenant_id: 'ten_a',
            domain_id: 'd1',
            selector: id === 'k1' ? 'sd1' : 'sd2',
            algorithm: 'rsa',
            bits: 2048,
            origin: 'generated',
            state,
            public_key: 'p',
            fingerprint: id,
            kek_id: 'kek',
            sealed_private_key: 'sealed',
            created_at: T0,
            activated_at: activated,
            retiring_at: null,
            retired_at: null,
            revoked_at: null,
            unpublished_at: null,
            visible_at: null,
            activation_override: 0,
            revoke_reason: null,
            warnings: '[]',
          })
          .execute();

      const all = await store.overview.domainStatuses('ten_a', { search: '', offset: 0, limit: 2 });
      assert.equal(all.total, 3);
      assert.deepEqual(
        all.rows.map((r) => r.name),
        ['a-one.example', 'b_two.example'],
      );
      const one = all.rows[0]!;
      assert.deepEqual(one.check, { grade: 'error', checkedAt: at(1) });
      assert.deepEqual(one.records, { perfect: 2, ok: 0, error: 1, temperror: 0 });
      assert.equal(one.dmarcStep, 3);
      assert.equal(one.autopilot, true);
      assert.equal(one.activeKey?.selector, 'sd2');
      const two = all.rows[1]!;
      assert.deepEqual([two.check, two.dmarcStep, two.autopilot, two.activeKey], [null, null, false, null]);
      const next = await store.overview.domainStatuses('ten_a', { search: '', offset: 2, limit: 2 });
      assert.deepEqual(
        next.rows.map((r) => r.name),
        ['c%three.example'],
      );
      // % and _ are matched literally, not as wildcards.
      for (const [search, names] of [
        ['_', ['b_two.example']],
        ['%', ['c%three.example']],
        ['one', ['a-one.example']],
        ['zzz', []],
      ] as const) {
        const found = await store.overview.domainStatuses('ten_a', { search, offset: 0, limit: 50 });
        assert.deepEqual(
          found.rows.map((r) => r.name),
          names,
          search,
        );
        assert.equal(found.total, names.length);
      }

      const tenants = await store.overview.tenantSummaries();
      assert.deepEqual(
        tenants.map((t) => [t.name, t.domains, t.verifiedDomains, t.users]),
        [
          ['alpha', 3, 0, 0],
          ['beta', 1, 0, 0],
        ],
      );

      await db
        .insertInto('events')
        .values(
          [1, 2, 3].map((i) => ({
            id: `ev${i}`,
            tenant_id: 'ten_a',
            domain_id: 'd1',
            type: 't',
            severity: 'info',
            message: `m${i}`,
            data: '{}',
            at: at(i),
          })),
        )
        .execute();
      const events = await store.overview.domainEvents('ten_a', 'a-one.example', 0, 2);
      assert.deepEqual([events?.total, events?.events.map((e) => e.id)], [3, ['ev3', 'ev2']]);
      assert.deepEqual((await store.overview.domainEvents('ten_b', 'a-one.example', 0, 2))?.total, 0);
      assert.equal(await store.overview.domainEvents('ten_b', 'b_two.example', 0, 2), null);
    });
  });
}
