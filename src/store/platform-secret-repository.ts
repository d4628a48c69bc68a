import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { PlatformSecretRepository } from '../secrets/index.ts';
import type { Database } from './database.ts';

export const platformSecretMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('platform_secrets')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('kek_id', 'text', (c) => c.notNull())
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table platform_secrets`.execute(db);
  },
};

export function platformSecretRepository(db: Kysely<Database>): PlatformSecretRepository {
  return {
    async platformSecret(name) {
      const r = await db
        .selectFrom('platform_secrets')
        .select(['kek_id', 'sealed'])
        .where('name', '=', name)
        .executeTakeFirst();
      return r === undefined ? null : { kekId: r.kek_id, sealed: r.sealed };
    },
    async insertPlatformSecretIfAbsent(name, secret, createdAt) {
      await db
        .insertInto('platform_secrets')
        .values({ name, kek_id: secret.kekId, sealed: secret.sealed, created_at: createdAt })
        .onConflict((c) => c.column('name').doNothing())
        .execute();
    },
    async platformSecretsNotUnder(kekId) {
      const rows = await db
        .selectFrom('platform_secrets')
        .select(['name', 'kek_id', 'sealed'])
        .where('kek_id', '!=', kekId)
        .orderBy('name')
        .execute();
      return rows.map((r) => ({ name: r.name, secret: { kekId: r.kek_id, sealed: r.sealed } }));
    },
    async rewrapPlatformSecret(name, fromKekId, to) {
      const r = await db
        .updateTable('platform_secrets')
        .set({ kek_id: to.kekId, sealed: to.sealed })
        .where('name', '=', name)
        .where('kek_id', '=', fromKekId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
