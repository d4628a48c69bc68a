import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './database.ts';

/** 0500-gateway: SMTP credentials and the message trace (attempts, bounces). */
export function gatewayMigration(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('smtp_credentials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createIndex('smtp_credentials_tenant')
        .on('smtp_credentials')
        .column('tenant_id')
        .execute();

      await db.schema
        .createTable('gateway_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('domain_id', 'text')
        .addColumn('sender_domain', 'text')
        .addColumn('header_from', 'text', (c) => c.notNull())
        .addColumn('submitted_mail_from', 'text', (c) => c.notNull())
        .addColumn('recipients', 'text', (c) => c.notNull())
        .addColumn('signatures', 'text', (c) => c.notNull())
        .addColumn('signing_decision', 'text', (c) => c.notNull())
        .addColumn('client_address', 'text', (c) => c.notNull())
        .addColumn('credential', 'text')
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('accepted_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('gateway_messages_tenant')
        .on('gateway_messages')
        .columns(['tenant_id', 'accepted_at'])
        .execute();

      for (const table of ['gateway_attempts', 'gateway_bounces'] as const) {
        let builder = db.schema
          .createTable(table)
          .addColumn('id', id, (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('message_id', 'text', (c) => c.notNull())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('recipient', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('code', 'integer', (c) => c.notNull())
          .addColumn('reply', 'text', (c) => c.notNull());
        builder =
          table === 'gateway_attempts'
            ? builder
                .addColumn('status', 'text', (c) => c.notNull())
                .addColumn('host', 'text', (c) => c.notNull())
                .addColumn('tls', 'integer', (c) => c.notNull())
            : builder.addColumn('domain_id', 'text').addColumn('reason', 'text', (c) => c.notNull());
        await builder.execute();
      }
      await db.schema
        .createIndex('gateway_attempts_message')
        .on('gateway_attempts')
        .column('message_id')
        .execute();
      await db.schema
        .createIndex('gateway_bounces_tenant')
        .on('gateway_bounces')
        .columns(['tenant_id', 'at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['gateway_bounces', 'gateway_attempts', 'gateway_messages', 'smtp_credentials']) {
        await sql`drop table ${sql.table(table)}`.execute(db);
      }
    },
  };
}

/**
 * 0610-bounce-class: each bounce keeps its class (src/bounces), the rule that decided and the RFC 3463 code read;
 * rows from before have class "unknown". The index serves the soft-bounce count of the suppression list.
 */
export const bounceClassMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('gateway_bounces')
      .addColumn('class', 'text', (c) => c.notNull().defaultTo('unknown'))
      .execute();
    await db.schema
      .alterTable('gateway_bounces')
      .addColumn('rule', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.alterTable('gateway_bounces').addColumn('status', 'text').execute();
    await db.schema
      .createIndex('gateway_bounces_recipient')
      .on('gateway_bounces')
      .columns(['tenant_id', 'recipient', 'at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('gateway_bounces_recipient').execute();
    for (const column of ['status', 'rule', 'class']) {
      await db.schema.alterTable('gateway_bounces').dropColumn(column).execute();
    }
  },
};
