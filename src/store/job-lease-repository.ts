import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { JobLeaseRepository } from '../cluster/index.ts';
import type { Database } from './database.ts';

export const jobLeaseMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('job_leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('until', 'text', (c) => c.notNull())
      .addColumn('acquired_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table job_leases`.execute(db);
  },
};

/**
 * Job leases in the store. A claim is one statement: an insert that, on a row already there, updates it only when
 * the lease is expired or the claimant's own (the conditional upsert both SQLite and PostgreSQL do atomically), so
 * two nodes claiming at once never both hold it.
 */
export function jobLeaseRepository(db: Kysely<Database>): JobLeaseRepository {
  return {
    async claim(name, owner, until, now) {
      const r = await db
        .insertInto('job_leases')
        .values({ name, owner, until, acquired_at: now })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({
              until: (eb) => eb.ref('excluded.until'),
              // A renewal keeps the time the holder first took it; a take-over starts a new one.
              acquired_at: (eb) =>
                eb
                  .case()
                  .when('job_leases.owner', '=', eb.ref('excluded.owner'))
                  .then(eb.ref('job_leases.acquired_at'))
                  .else(eb.ref('excluded.acquired_at'))
                  .end(),
              owner: (eb) => eb.ref('excluded.owner'),
            })
            .where((eb) => eb.or([eb('job_leases.owner', '=', owner), eb('job_leases.until', '<', now)])),
        )
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async release(name, owner) {
      await db.deleteFrom('job_leases').where('name', '=', name).where('owner', '=', owner).execute();
    },
    async list() {
      const rows = await db.selectFrom('job_leases').selectAll().orderBy('name').execute();
      return rows.map((r) => ({ name: r.name, owner: r.owner, until: r.until, acquiredAt: r.acquired_at }));
    },
  };
}
