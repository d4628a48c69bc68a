import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** DKIM keys, per-domain rotation policy, notice de-duplication, events and their delivery outbox. */
export const dkimMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('dkim_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('domain_id', 'text', (c) => c.notNull().references('domains.id').onDelete('cascade'))
      .addColumn('selector', 'text', (c) => c.notNull())
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('bits', 'integer', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('kek_id', 'text', (c) => c.notNull())
      .addColumn('sealed_private_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('activated_at', 'text')
      .addColumn('retiring_at', 'text')
      .addColumn('retired_at', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('unpublished_at', 'text')
      .addColumn('visible_at', 'text')
      .addColumn('activation_override', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('revoke_reason', 'text')
      .addColumn('warnings', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema
      .createIndex('dkim_keys_domain')
      .on('dkim_keys')
      .columns(['domain_id', 'unpublished_at'])
      .execute();
    await db.schema.createIndex('dkim_keys_kek').on('dkim_keys').column('kek_id').execute();

    await db.schema
      .createTable('dkim_policies')
      .addColumn('domain_id', 'text', (c) => c.primaryKey().references('domains.id').onDelete('cascade'))
      .addColumn('overrides', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('dkim_notices')
      .addColumn('domain_id', 'text', (c) => c.notNull().references('domains.id').onDelete('cascade'))
      .addColumn('notice_key', 'text', (c) => c.notNull())
      .addColumn('last_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('dkim_notices_pk', ['domain_id', 'notice_key'])
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('domain_id', 'text')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_tenant_at').on('events').columns(['tenant_id', 'at', 'id']).execute();

    await db.schema
      .createTable('event_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('event_deliveries_due')
      .on('event_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();

    await db.schema
      .createTable('notification_settings')
      .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
      .addColumn('webhook_url', 'text')
      .addColumn('webhook_kek_id', 'text')
      .addColumn('webhook_secret_sealed', 'text')
      .addColumn('email_to', 'text', (c) => c.notNull())
      .addColumn('min_severity', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      'notification_settings',
      'event_deliveries',
      'events',
      'dkim_notices',
      'dkim_policies',
      'dkim_keys',
    ]) {
      await sql`drop table ${sql.table(table)}`.execute(db);
    }
  },
};
