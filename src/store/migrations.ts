import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import type { Dialect } from './database.ts';
import { bimiMigration } from './bimi-repository.ts';
import { dkimMigration } from './dkim-migration.ts';
import { dnsJournalMigration } from './dns-migration.ts';
import { dmarcMigration } from './dmarc-repository.ts';
import { edgeMigration } from './edge-migration.ts';
import { eventDeliveriesByTenantMigration } from './event-repository.ts';
import { bounceClassMigration, gatewayMigration } from './gateway-migration.ts';
import {
  reportsAuthUnalignedMigration,
  reportsMigration,
  reportsArrivalMigration,
  reportsOnceMigration,
  reportsTrustMigration,
} from './reports-migration.ts';
import { sessionMigration } from './session-repository.ts';
import { platformSecretMigration } from './platform-secret-repository.ts';
import { teamMigration } from './team-repository.ts';
import {
  suppressionDomainMigration,
  suppressionExpiryMigration,
  suppressionMigration,
} from './suppression-repository.ts';
import { signInFailureMigration } from './sign-in-failure-repository.ts';
import { jobLeaseMigration } from './job-lease-repository.ts';
import { feedbackMigration } from './feedback-repository.ts';
import { alertMigration } from './alert-repository.ts';
import { trackingMigration } from './tracking-repository.ts';
import { domainSendingMigration } from './domain-sending-migration.ts';

/**
 * Versioned migrations, applied in name order and recorded in kysely_migration. Written with the schema builder
 * so the same code serves SQLite and PostgreSQL; the few type differences are decided by `dialect`.
 * Never edit a migration that has shipped: add the next one.
 */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-foundation': foundation(dialect),
    '0200-dkim': dkimMigration,
    '0500-dmarc': dmarcMigration,
    '0300-checks': checks(),
    '0600-gateway': gatewayMigration(dialect),
    '0610-bounce-class': bounceClassMigration,
    '0700-edge': edgeMigration(dialect),
    '0400-reports': reportsMigration(dialect),
    '0410-reports-auth-unaligned': reportsAuthUnalignedMigration,
    '0420-reports-once': reportsOnceMigration,
    '0430-reports-trust': reportsTrustMigration,
    '0440-reports-arrival': reportsArrivalMigration,
    '0900-sessions': sessionMigration,
    '0910-team': teamMigration,
    '0920-platform-secrets': platformSecretMigration,
    '0930-sign-in-failures': signInFailureMigration,
    '0940-event-deliveries-by-tenant': eventDeliveriesByTenantMigration,
    '0950-domains-mta-sts': domainsMtaSts,
    '0960-bimi-logos': bimiMigration,
    '0970-suppressions': suppressionMigration(dialect),
    '0990-job-leases': jobLeaseMigration,
    '1020-feedback': feedbackMigration(dialect),
    '1021-suppression-expiry': suppressionExpiryMigration,
    '1010-tracking-events': trackingMigration(dialect),
    '1000-domains-sending': domainSendingMigration,
    '0100-dns': dnsMigration(dialect),
    '0110-dns-journal': dnsJournalMigration(dialect),
    '1040-alerts': alertMigration,
    '1100-suppression-domain': suppressionDomainMigration(dialect),
  };
  return { getMigrations: () => Promise.resolve(migrations) };
}

/** 0950: a domain's MTA-STS settings (RFC 8461) as JSON; null while off. */
const domainsMtaSts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('domains').addColumn('mta_sts', 'text').execute();
  },
};

function foundation(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('api_keys_tenant').on('api_keys').column('tenant_id').execute();

      await db.schema
        .createTable('issued_tokens')
        .addColumn('token', 'text', (c) => c.primaryKey())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('domains')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token', 'text', (c) => c.notNull().unique().references('issued_tokens.token'))
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('bounce_label', 'text', (c) => c.notNull())
        .addColumn('click_label', 'text', (c) => c.notNull())
        .addColumn('tracking', 'integer', (c) => c.notNull())
        .addColumn('spf_mechanisms', 'text', (c) => c.notNull())
        .addColumn('dkim_selectors', 'text', (c) => c.notNull())
        .addColumn('own_dkim_selectors', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('verified_at', 'text')
        .addUniqueConstraint('domains_tenant_name', ['tenant_id', 'name'])
        .execute();
      await db.schema.createIndex('domains_name').on('domains').column('name').execute();

      await db.schema
        .createTable('changes')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['changes', 'domains', 'issued_tokens', 'api_keys', 'users', 'tenants']) {
        await sql`drop table ${sql.table(table)}`.execute(db);
      }
    },
  };
}

/** The checks capability: the latest check per domain and the per-record states (see src/store/checks-tables.ts). */
function checks(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('check_results')
        .addColumn('domain_id', 'text', (c) => c.primaryKey().references('domains.id').onDelete('cascade'))
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('checked_at', 'text', (c) => c.notNull())
        .addColumn('grade', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('next_check_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('check_record_states')
        .addColumn('domain_id', 'text', (c) => c.notNull().references('domains.id').onDelete('cascade'))
        .addColumn('record_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('checked_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('check_record_states_pk', ['domain_id', 'record_key'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table check_record_states`.execute(db);
      await sql`drop table check_results`.execute(db);
    },
  };
}

/** The dns capability: the SOA serial per zone (a bigint in PostgreSQL: serials reach 2^32 - 1). */
function dnsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('dns_zone_serials')
        .addColumn('zone', 'text', (c) => c.primaryKey())
        .addColumn('serial', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('dns_zone_serials').execute();
    },
  };
}
