import type { Kysely } from 'kysely';
import type { DnsRepository } from '../dns/index.ts';
import type { Database } from './database.ts';

/** The id of the newest row of the change log, 0 when it is empty. */
export async function latestChangeId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

export function dnsRepository(db: Kysely<Database>, now: () => Date = () => new Date()): DnsRepository {
  return {
    latestChangeId: () => latestChangeId(db),
    async changesSince(afterId, limit) {
      const rows = await db
        .selectFrom('changes')
        .select(['id', 'subject', 'subject_id'])
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: Number(r.id), subject: r.subject, subjectId: r.subject_id }));
    },
    async readSerial(zone) {
      const row = await db
        .selectFrom('dns_zone_serials')
        .select(['serial', 'digest'])
        .where('zone', '=', zone)
        .executeTakeFirst();
      return row === undefined ? null : { serial: Number(row.serial), digest: row.digest };
    },
    async compareAndSetSerial(zone, expected, next) {
      const at = now().toISOString();
      if (expected === null) {
        const r = await db
          .insertInto('dns_zone_serials')
          .values({ zone, serial: next.serial, digest: next.digest, updated_at: at })
          .onConflict((oc) => oc.column('zone').doNothing())
          .executeTakeFirst();
        return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
      }
      const r = await db
        .updateTable('dns_zone_serials')
        .set({ serial: next.serial, digest: next.digest, updated_at: at })
        .where('zone', '=', zone)
        .where('serial', '=', expected.serial)
        .where('digest', '=', expected.digest)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
