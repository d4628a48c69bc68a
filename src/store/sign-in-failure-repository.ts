import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { SignInFailureLog } from '../accounts/index.ts';
import type { Database } from './database.ts';

export const signInFailureMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sign_in_failures')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sign_in_failures_key_at')
      .on('sign_in_failures')
      .columns(['key', 'at'])
      .execute();
    await db.schema.createIndex('sign_in_failures_at').on('sign_in_failures').column('at').execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table sign_in_failures`.execute(db);
  },
};

/** The failure log in the store, so that every node of a cluster counts the same failures. */
export function signInFailureLog(db: Kysely<Database>): SignInFailureLog {
  return {
    async count(keys, since) {
      if (keys.length === 0) return new Map();
      const rows = await db
        .selectFrom('sign_in_failures')
        .select([
          'key',
          (eb) => eb.fn.countAll<number | string>().as('n'),
          (eb) => eb.fn.min('at').as('first'),
          (eb) => eb.fn.max('at').as('last'),
        ])
        .where('key', 'in', [...keys])
        .where('at', '>', since)
        .groupBy('key')
        .execute();
      return new Map(rows.map((r) => [r.key, { count: Number(r.n), firstAt: r.first, lastAt: r.last }]));
    },
    async record(keys, at) {
      await db
        .insertInto('sign_in_failures')
        .values(keys.map((key) => ({ key, at })))
        .execute();
    },
    async clear(key) {
      await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
    },
    async purge(before) {
      await db.deleteFrom('sign_in_failures').where('at', '<=', before).execute();
    },
  };
}
