import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './database.ts';

/**
 * The dns capability's IXFR journal (RFC 1995): one row per serial the zone moved to, with the difference as text.
 * Serials are bigints in PostgreSQL (they reach 2^32 - 1); rows are read in id order, oldest first.
 */
export function dnsJournalMigration(dialect: Dialect): Migration {
  const serial = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('dns_zone_journal')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('zone', 'text', (c) => c.notNull())
        .addColumn('from_serial', serial, (c) => c.notNull())
        .addColumn('to_serial', serial, (c) => c.notNull())
        .addColumn('changes', 'text', (c) => c.notNull())
        .addColumn('bytes', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('dns_zone_journal_zone')
        .on('dns_zone_journal')
        .columns(['zone', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('dns_zone_journal').execute();
    },
  };
}
