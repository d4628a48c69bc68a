import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './database.ts';

/** 0700-edge: hosts, certificates (keys sealed), ACME challenges, accounts and the order log (edge-tables.ts). */
export function edgeMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('edge_hosts')
        .addColumn('hostname', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('domain_id', 'text', (c) => c.notNull().references('domains.id').onDelete('cascade'))
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('order_url', 'text')
        .addColumn('order_started_at', 'text')
        .addColumn('order_key_kek_id', 'text')
        .addColumn('order_key_sealed', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', 'text')
        .addColumn('certificate_id', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('edge_hosts_domain').on('edge_hosts').column('domain_id').execute();
      await db.schema.createIndex('edge_hosts_tenant').on('edge_hosts').column('tenant_id').execute();
      await db.schema
        .createTable('edge_certificates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('hostname', 'text', (c) =>
          c.notNull().references('edge_hosts.hostname').onDelete('cascade'),
        )
        .addColumn('serial', 'text', (c) => c.notNull())
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('not_before', 'text', (c) => c.notNull())
        .addColumn('not_after', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('chain_pem', 'text', (c) => c.notNull())
        .addColumn('key_kek_id', 'text', (c) => c.notNull())
        .addColumn('key_sealed', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('edge_certificates_host')
        .on('edge_certificates')
        .columns(['hostname', 'issued_at'])
        .execute();
      await db.schema
        .createTable('edge_challenges')
        .addColumn('token', 'text', (c) => c.primaryKey())
        .addColumn('hostname', 'text', (c) =>
          c.notNull().references('edge_hosts.hostname').onDelete('cascade'),
        )
        .addColumn('key_authorization', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('edge_acme_accounts')
        .addColumn('directory_url', 'text', (c) => c.primaryKey())
        .addColumn('account_url', 'text', (c) => c.notNull())
        .addColumn('key_kek_id', 'text', (c) => c.notNull())
        .addColumn('key_sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('edge_orders')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('order_url', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('edge_orders_at').on('edge_orders').column('created_at').execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'edge_orders',
        'edge_acme_accounts',
        'edge_challenges',
        'edge_certificates',
        'edge_hosts',
      ])
        await sql`drop table ${sql.table(table)}`.execute(db);
    },
  };
}
