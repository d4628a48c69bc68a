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
    async appendJournal(zone, entry, bounds) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('dns_zone_journal')
          .values({
            zone,
            from_serial: entry.fromSerial,
            to_serial: entry.toSerial,
            changes: entry.changes,
            bytes: entry.changes.length,
            created_at: bounds.now.toISOString(),
          })
          .execute();
        const cutoff = new Date(bounds.now.getTime() - bounds.maxAgeMs).toISOString();
        await trx
          .deleteFrom('dns_zone_journal')
          .where('zone', '=', zone)
          .where('created_at', '<', cutoff)
          .execute();
        // The newest entries that fit in maxBytes stay; everything older goes.
        const sizes = await trx
          .selectFrom('dns_zone_journal')
          .select(['id', 'bytes'])
          .where('zone', '=', zone)
          .orderBy('id', 'desc')
          .execute();
        let total = 0;
        const over = sizes.find((row) => (total += Number(row.bytes)) > bounds.maxBytes);
        if (over !== undefined) {
          await trx
            .deleteFrom('dns_zone_journal')
            .where('zone', '=', zone)
            .where('id', '<=', Number(over.id))
            .execute();
        }
      });
    },
    async journalLinks(zone) {
      const rows = await db
        .selectFrom('dns_zone_journal')
        .select(['id', 'from_serial', 'to_serial'])
        .where('zone', '=', zone)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        fromSerial: Number(r.from_serial),
        toSerial: Number(r.to_serial),
      }));
    },
    async journalChanges(zone, ids) {
      const out = new Map<number, string>();
      if (ids.length === 0) return out;
      const rows = await db
        .selectFrom('dns_zone_journal')
        .select(['id', 'changes'])
        .where('zone', '=', zone)
        .where('id', 'in', [...ids])
        .execute();
      for (const r of rows) out.set(Number(r.id), r.changes);
      return out;
    },
  };
}
