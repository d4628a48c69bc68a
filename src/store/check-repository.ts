import type { Kysely } from 'kysely';
import type { CheckRepository, DomainCheck, Grade } from '../checks/index.ts';
import type { Database } from './database.ts';

export function checkRepository(db: Kysely<Database>): CheckRepository {
  return {
    async latest(domainId) {
      const row = await db
        .selectFrom('check_results')
        .selectAll()
        .where('domain_id', '=', domainId)
        .executeTakeFirst();
      if (row === undefined) return null;
      return {
        domainId: row.domain_id,
        tenantId: row.tenant_id,
        check: JSON.parse(row.result) as DomainCheck,
        nextCheckAt: row.next_check_at,
      };
    },
    async states(domainId) {
      const rows = await db
        .selectFrom('check_record_states')
        .selectAll()
        .where('domain_id', '=', domainId)
        .orderBy('record_key')
        .execute();
      return rows.map((r) => ({
        key: r.record_key,
        status: r.status as Grade,
        error: r.error,
        since: r.since,
        checkedAt: r.checked_at,
      }));
    },
    async save(stored, states) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('check_results').where('domain_id', '=', stored.domainId).execute();
        await trx
          .insertInto('check_results')
          .values({
            domain_id: stored.domainId,
            tenant_id: stored.tenantId,
            checked_at: stored.check.checkedAt,
            grade: stored.check.grade,
            result: JSON.stringify(stored.check),
            next_check_at: stored.nextCheckAt,
          })
          .execute();
        await trx.deleteFrom('check_record_states').where('domain_id', '=', stored.domainId).execute();
        if (states.length > 0)
          await trx
            .insertInto('check_record_states')
            .values(
              states.map((s) => ({
                domain_id: stored.domainId,
                record_key: s.key,
                status: s.status,
                error: s.error,
                since: s.since,
                checked_at: s.checkedAt,
              })),
            )
            .execute();
      });
    },
    async schedule() {
      const rows = await db.selectFrom('check_results').select(['domain_id', 'next_check_at']).execute();
      return new Map(rows.map((r) => [r.domain_id, r.next_check_at]));
    },
  };
}
