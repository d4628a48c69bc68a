import { type Kysely, type Transaction, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { TeamChange, TeamMember, TeamRepository, UserRole } from '../accounts/index.ts';
import { toUser } from './account-repository.ts';
import type { Database } from './database.ts';

/** Migration 0910-team: one-time set-password links. */
export const teamMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('password_links')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('password_links_user').on('password_links').column('user_id').execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index sessions_user`.execute(db);
    await sql`drop table password_links`.execute(db);
  },
};

/**
 * Serialises changes to one tenant's team. A no-op update takes the tenant row's lock in PostgreSQL (and the write
 * lock in SQLite), so two owners demoting each other at the same moment cannot both pass the last-owner check.
 */
async function lockTenant(trx: Transaction<Database>, tenantId: string): Promise<boolean> {
  const r = await trx
    .updateTable('tenants')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', tenantId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Whether taking `userId`'s owner role away leaves the tenant without an owner. */
async function isLastOwner(trx: Transaction<Database>, tenantId: string, userId: string): Promise<boolean> {
  const owners = await trx
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('role', '=', 'owner')
    .execute();
  return owners.length === 1 && owners[0]!.id === userId;
}

async function endSessions(trx: Transaction<Database>, userId: string): Promise<number> {
  const r = await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** A change to one user of a tenant, refused with `last_owner` when it would leave the tenant without an owner. */
function guardedChange(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
  wouldRemoveOwner: (role: UserRole) => boolean,
  apply: (trx: Transaction<Database>) => Promise<void>,
): Promise<TeamChange> {
  return db.transaction().execute(async (trx) => {
    if (!(await lockTenant(trx, tenantId))) return 'not_found';
    const user = await trx
      .selectFrom('users')
      .select(['id', 'role'])
      .where('id', '=', userId)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (user === undefined) return 'not_found';
    if (wouldRemoveOwner(user.role as UserRole) && (await isLastOwner(trx, tenantId, userId))) {
      return 'last_owner';
    }
    await apply(trx);
    return 'done';
  });
}

export function teamRepository(db: Kysely<Database>): TeamRepository {
  return {
    async listMembers(tenantId, now) {
      const users = await db
        .selectFrom('users')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('email')
        .execute();
      const links = await db
        .selectFrom('password_links')
        .select(['user_id', 'expires_at'])
        .where('tenant_id', '=', tenantId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
      const linkEnds = new Map<string, string>();
      for (const l of links) {
        const seen = linkEnds.get(l.user_id);
        if (seen === undefined || l.expires_at > seen) linkEnds.set(l.user_id, l.expires_at);
      }
      return users.map((u): TeamMember => ({
        id: u.id,
        email: u.email,
        role: u.role as UserRole,
        createdAt: u.created_at,
        passwordSet: u.password_hash.startsWith('scrypt$'),
        linkExpiresAt: linkEnds.get(u.id) ?? null,
      }));
    },
    async findUser(tenantId, userId) {
      const r = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return r === undefined ? null : toUser(r);
    },
    changeRole(tenantId, userId, role) {
      return guardedChange(
        db,
        tenantId,
        userId,
        (current) => current === 'owner' && role !== 'owner',
        async (trx) => {
          await trx.updateTable('users').set({ role }).where('id', '=', userId).execute();
        },
      );
    },
    removeUser(tenantId, userId) {
      return guardedChange(
        db,
        tenantId,
        userId,
        (current) => current === 'owner',
        async (trx) => {
          // The foreign keys cascade too; deleting explicitly does not depend on them being enforced.
          await endSessions(trx, userId);
          await trx.deleteFrom('password_links').where('user_id', '=', userId).execute();
          await trx.deleteFrom('users').where('id', '=', userId).execute();
        },
      );
    },
    async insertPasswordLink(link) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('password_links').where('user_id', '=', link.userId).execute();
        await trx
          .insertInto('password_links')
          .values({
            token_hash: link.tokenHash,
            user_id: link.userId,
            tenant_id: link.tenantId,
            created_at: link.createdAt,
            expires_at: link.expiresAt,
            used_at: link.usedAt,
          })
          .execute();
      });
    },
    async passwordLinkUsable(tokenHash, now) {
      const row = await db
        .selectFrom('password_links')
        .select('token_hash')
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row !== undefined;
    },
    consumePasswordLink(tokenHash, now, passwordHash) {
      return db.transaction().execute(async (trx) => {
        // The conditional update is the single-use guarantee: of two concurrent uses, one updates a row.
        const link = await trx
          .updateTable('password_links')
          .set({ used_at: now })
          .where('token_hash', '=', tokenHash)
          .where('used_at', 'is', null)
          .where('expires_at', '>', now)
          .returning('user_id')
          .executeTakeFirst();
        if (link === undefined) return null;
        await trx
          .updateTable('users')
          .set({ password_hash: passwordHash })
          .where('id', '=', link.user_id)
          .execute();
        await endSessions(trx, link.user_id);
        const user = await trx
          .selectFrom('users')
          .selectAll()
          .where('id', '=', link.user_id)
          .executeTakeFirst();
        return user === undefined ? null : toUser(user);
      });
    },
    setPassword(userId, passwordHash) {
      return db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ password_hash: passwordHash })
          .where('id', '=', userId)
          .execute();
        return endSessions(trx, userId);
      });
    },
  };
}
