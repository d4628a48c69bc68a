/**
 * The contract of the team port (roles, removal, set-password links, password changes), part of the store
 * contract: run against SQLite and PostgreSQL alike. The concurrent cases matter most on PostgreSQL, where two
 * requests really run at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UserRole } from '../accounts/index.ts';
import type { Store } from './store.ts';

const T0 = '2026-11-01T00:00:00.000Z';
type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

async function addUser(store: Store, id: string, tenantId: string, role: UserRole): Promise<void> {
  await store.accounts.insertUser({
    id,
    tenantId,
    email: `${id}@example.com`,
    passwordHash: role === 'member' ? '!' : 'scrypt$old',
    role,
    createdAt: T0,
  });
}

async function addSession(store: Store, idHash: string, userId: string): Promise<void> {
  await store.sessions.insertSession({
    idHash,
    userId,
    tenantId: 'ten_a',
    access: 'user',
    createdAt: T0,
    lastSeenAt: T0,
    expiresAt: '2026-11-02T00:00:00.000Z',
  });
}

export function describeTeamContract(withStore: WithStore): void {
  test('team: roles change, users go, and a tenant never loses its last owner', async () => {
    await withStore(async (store) => {
      await addUser(store, 'u1', 'ten_a', 'owner');
      await addUser(store, 'u2', 'ten_a', 'member');
      await addUser(store, 'u9', 'ten_b', 'owner');
      assert.equal(await store.team.changeRole('ten_a', 'u1', 'member'), 'last_owner');
      assert.equal(await store.team.removeUser('ten_a', 'u1'), 'last_owner');
      assert.equal(
        await store.team.changeRole('ten_a', 'u9', 'member'),
        'not_found',
        "another tenant's user",
      );
      assert.equal(await store.team.removeUser('ten_a', 'nobody'), 'not_found');
      assert.equal(await store.team.changeRole('ten_a', 'u2', 'owner'), 'done');
      assert.equal(await store.team.changeRole('ten_a', 'u1', 'member'), 'done');
      assert.equal(await store.team.changeRole('ten_a', 'u2', 'member'), 'last_owner');
      await addSession(store, 's1', 'u1');
      assert.equal(await store.team.removeUser('ten_a', 'u1'), 'done');
      assert.equal(await store.sessions.findSession('s1'), null, 'their session went with them');
      const members = await store.team.listMembers('ten_a', T0);
      assert.deepEqual(
        members.map((m) => [m.id, m.role, m.passwordSet]),
        [['u2', 'owner', false]],
      );
      assert.equal((await store.team.findUser('ten_b', 'u9'))?.role, 'owner');
      assert.equal(await store.team.findUser('ten_a', 'u9'), null);
    });
  });

  test('team: two owners demoting each other at once leave exactly one owner', async () => {
    await withStore(async (store) => {
      // Warm the pool so that both changes get a connection at once, then race them in a few fresh tenants.
      await Promise.all([store.team.listMembers('ten_a', T0), store.team.listMembers('ten_b', T0)]);
      for (let round = 0; round < 8; round++) {
        const tenant = `ten_r${round}`;
        await store.accounts.insertTenant({ id: tenant, name: `race${round}`, createdAt: T0 });
        await addUser(store, `r${round}a`, tenant, 'owner');
        await addUser(store, `r${round}b`, tenant, 'owner');
        const outcomes = await Promise.all([
          store.team.changeRole(tenant, `r${round}a`, 'member'),
          store.team.removeUser(tenant, `r${round}b`),
        ]);
        assert.deepEqual([...outcomes].sort(), ['done', 'last_owner'], `round ${round}`);
        const owners = (await store.team.listMembers(tenant, T0)).filter((m) => m.role === 'owner');
        assert.equal(owners.length, 1, `round ${round}`);
      }
    });
  });

  test('team: a set-password link works once, before it expires, and a newer one replaces it', async () => {
    await withStore(async (store) => {
      await addUser(store, 'u1', 'ten_a', 'member');
      const link = (tokenHash: string, expiresAt: string) => ({
        tokenHash,
        userId: 'u1',
        tenantId: 'ten_a',
        createdAt: T0,
        expiresAt,
        usedAt: null,
      });
      await store.team.insertPasswordLink(link('old', '2026-11-04T00:00:00.000Z'));
      await store.team.insertPasswordLink(link('h1', '2026-11-04T00:00:00.000Z'));
      assert.equal((await store.team.listMembers('ten_a', T0))[0]?.linkExpiresAt, '2026-11-04T00:00:00.000Z');
      assert.equal(await store.team.passwordLinkUsable('old', T0), false, 'replaced');
      assert.equal(await store.team.passwordLinkUsable('h1', T0), true);
      assert.equal(await store.team.passwordLinkUsable('h1', '2026-11-04T00:00:00.000Z'), false, 'expired');
      assert.equal(await store.team.consumePasswordLink('old', T0, 'scrypt$x'), null, 'replaced');
      assert.equal(
        await store.team.consumePasswordLink('h1', '2026-11-04T00:00:00.000Z', 'scrypt$x'),
        null,
        'expired at expiresAt',
      );
      await addSession(store, 's1', 'u1');
      // Two uses at once: exactly one wins.
      const uses = await Promise.all([
        store.team.consumePasswordLink('h1', T0, 'scrypt$first'),
        store.team.consumePasswordLink('h1', T0, 'scrypt$second'),
      ]);
      const winners = uses.filter((u) => u !== null);
      assert.equal(winners.length, 1);
      const user = await store.team.findUser('ten_a', 'u1');
      assert.equal(user?.passwordHash, winners[0]!.passwordHash);
      assert.equal(await store.sessions.findSession('s1'), null, 'sessions end when a link is used');
      assert.equal((await store.team.listMembers('ten_a', T0))[0]?.linkExpiresAt, null);
      assert.equal(await store.team.passwordLinkUsable('h1', T0), false, 'used');

      await addSession(store, 's2', 'u1');
      await addSession(store, 's3', 'u1');
      assert.equal(await store.team.setPassword('u1', 'scrypt$new'), 2);
      assert.equal((await store.team.findUser('ten_a', 'u1'))?.passwordHash, 'scrypt$new');
    });
  });
}
