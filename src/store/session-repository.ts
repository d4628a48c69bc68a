import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { SessionAccess, SessionRepository } from '../accounts/index.ts';
import { toUser } from './account-repository.ts';
import type { Database } from './database.ts';

/** Migration 0900-sessions: the sessions table, and indexes for a tenant's users and a domain's events. */
export const sessionMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('access', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
    await db.schema.createIndex('users_tenant').on('users').column('tenant_id').execute();
    // The domain page lists one domain's events, newest first.
    await db.schema.createIndex('events_domain_at').on('events').columns(['domain_id', 'at', 'id']).execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index events_domain_at`.execute(db);
    await sql`drop index users_tenant`.execute(db);
    await sql`drop table sessions`.execute(db);
  },
};

export function sessionRepository(db: Kysely<Database>): SessionRepository {
  return {
    async insertSession(s) {
      await db
        .insertInto('sessions')
        .values({
          id_hash: s.idHash,
          user_id: s.userId,
          tenant_id: s.tenantId,
          access: s.access,
          created_at: s.createdAt,
          last_seen_at: s.lastSeenAt,
          expires_at: s.expiresAt,
        })
        .execute();
    },
    async findSession(idHash) {
      const r = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      return r === undefined
        ? null
        : {
            idHash: r.id_hash,
            userId: r.user_id,
            tenantId: r.tenant_id,
            access: r.access as SessionAccess,
            createdAt: r.created_at,
            lastSeenAt: r.last_seen_at,
            expiresAt: r.expires_at,
          };
    },
    async touchSession(idHash, at) {
      await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
    },
    async deleteSession(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },
    async deleteExpiredSessions(now, idleBefore) {
      const r = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleBefore)]))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async findUserById(id) {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? null : toUser(r);
    },
    async listUsers(tenantId) {
      const rows = await db
        .selectFrom('users')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('email')
        .execute();
      return rows.map(toUser);
    },
  };
}
