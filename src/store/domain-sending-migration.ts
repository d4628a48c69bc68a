import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * 1000: a domain's sending settings (click and open tracking, bulk stream, Feedback-ID; domains' SendingSettings)
 * as JSON; null while everything is off, the default.
 */
export const domainSendingMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('domains').addColumn('sending', 'text').execute();
  },
};
