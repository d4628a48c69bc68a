import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './database.ts';

const FIGURES = ['messages', 'dmarc_pass', 'dkim_aligned', 'spf_aligned'] as const;

/**
 * 0400-reports: reports and records, the daily roll-ups (primary keys lead with domain_id and day, so a window
 * of one domain is one index range scan), the reverse-name cache, the quarantine and failure reports.
 */
export function reportsMigration(dialect: Dialect): Migration {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('domain_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reporter', 'text', (c) => c.notNull())
        .addColumn('org_name', 'text', (c) => c.notNull())
        .addColumn('reporter_email', 'text')
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('policy_domain', 'text', (c) => c.notNull())
        .addColumn('date_begin', 'text', (c) => c.notNull())
        .addColumn('date_end', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('schema_name', 'text')
        .addColumn('policy', 'text')
        .addColumn('details', 'text')
        .addColumn('record_count', bigint, (c) => c.notNull())
        .addColumn('message_count', bigint, (c) => c.notNull())
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addUniqueConstraint('reports_dedup', ['domain_id', 'kind', 'dedup_key'])
        .execute();
      await db.schema.createIndex('reports_domain_day').on('reports').columns(['domain_id', 'day']).execute();
      await db.schema
        .createIndex('reports_status')
        .on('reports')
        .columns(['status', 'received_at'])
        .execute();

      await db.schema
        .createTable('report_records')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('report_id', 'text', (c) => c.notNull())
        .addColumn('domain_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('source_ip', 'text', (c) => c.notNull())
        .addColumn('count', bigint, (c) => c.notNull())
        .addColumn('disposition', 'text', (c) => c.notNull())
        .addColumn('dmarc_pass', 'integer', (c) => c.notNull())
        .addColumn('dkim_aligned', 'integer', (c) => c.notNull())
        .addColumn('spf_aligned', 'integer', (c) => c.notNull())
        .addColumn('header_from', 'text')
        .addColumn('envelope_from', 'text')
        .addColumn('envelope_to', 'text')
        .addColumn('reasons', 'text')
        .addColumn('dkim_results', 'text')
        .addColumn('spf_results', 'text')
        .execute();
      await db.schema.createIndex('report_records_report').on('report_records').column('report_id').execute();
      await db.schema
        .createIndex('report_records_domain_day')
        .on('report_records')
        .columns(['domain_id', 'day'])
        .execute();

      const withFigures = (table: CreateTableBuilder<string, string>) => {
        let t = table;
        for (const f of FIGURES) t = t.addColumn(f, bigint, (c) => c.notNull().defaultTo(0));
        return t;
      };
      await withFigures(
        db.schema
          .createTable('report_daily')
          .addColumn('domain_id', 'text', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('reports', bigint, (c) => c.notNull().defaultTo(0)),
      )
        .addColumn('disposition_none', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('disposition_quarantine', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('disposition_reject', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('tls_successful', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('tls_failed', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('failure_reports', bigint, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('report_daily_pk', ['domain_id', 'day'])
        .execute();

      await withFigures(
        db.schema
          .createTable('report_daily_sources')
          .addColumn('domain_id', 'text', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('source_ip', 'text', (c) => c.notNull())
          .addColumn('tenant_id', 'text', (c) => c.notNull()),
      )
        .addColumn('disposition_quarantine', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('disposition_reject', bigint, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('report_daily_sources_pk', ['domain_id', 'day', 'source_ip'])
        .execute();

      await db.schema
        .createTable('report_daily_reporters')
        .addColumn('domain_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('reporter', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('reports', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('messages', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('dmarc_pass', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('duplicates', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('malformed', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('late', bigint, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('report_daily_reporters_pk', ['domain_id', 'day', 'reporter'])
        .execute();
      await db.schema
        .createIndex('report_daily_reporters_tenant')
        .on('report_daily_reporters')
        .columns(['tenant_id', 'day'])
        .execute();

      await db.schema
        .createTable('report_daily_selectors')
        .addColumn('domain_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('signing_domain', 'text', (c) => c.notNull())
        .addColumn('selector', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('messages', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('pass', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('fail', bigint, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('report_daily_selectors_pk', [
          'domain_id',
          'day',
          'signing_domain',
          'selector',
        ])
        .execute();

      await db.schema
        .createTable('report_ip_names')
        .addColumn('ip', 'text', (c) => c.primaryKey())
        .addColumn('ptr', 'text')
        .addColumn('verified', 'integer', (c) => c.notNull())
        .addColumn('resolved_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('report_quarantine')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text')
        .addColumn('domain_id', 'text')
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('reporter', 'text')
        .addColumn('external_id', 'text')
        .addColumn('policy_domain', 'text')
        .addColumn('raw_bytes', bigint, (c) => c.notNull())
        .addColumn('raw_sha256', 'text', (c) => c.notNull())
        .addColumn('raw_kept', bigint, (c) => c.notNull())
        .addColumn('raw_gzip', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('report_quarantine_tenant')
        .on('report_quarantine')
        .columns(['tenant_id', 'received_at'])
        .execute();

      await db.schema
        .createTable('failure_reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('domain_id', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('reporter', 'text', (c) => c.notNull())
        .addColumn('feedback_type', 'text', (c) => c.notNull())
        .addColumn('source_ip', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('failure_reports_domain')
        .on('failure_reports')
        .columns(['domain_id', 'received_at'])
        .execute();
      await db.schema
        .createIndex('failure_reports_expiry')
        .on('failure_reports')
        .column('expires_at')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'failure_reports',
        'report_quarantine',
        'report_ip_names',
        'report_daily_selectors',
        'report_daily_reporters',
        'report_daily_sources',
        'report_daily',
        'report_records',
        'reports',
      ]) {
        await sql`drop table ${sql.table(table)}`.execute(db);
      }
    },
  };
}

/**
 * Failing mail that still authenticated (SPF or DKIM pass for another domain), per record and per source and day:
 * what tells a sender nobody set up (shadow IT) from spoofing, for the DMARC autopilot.
 */
export const reportsAuthUnalignedMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('report_records')
      .addColumn('auth_unaligned', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('report_daily_sources')
      .addColumn('auth_unaligned', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('report_daily_sources').dropColumn('auth_unaligned').execute();
    await db.schema.alterTable('report_records').dropColumn('auth_unaligned').execute();
  },
};

/**
 * A failure report has no report id (RFC 6591 §3), so a re-sent or re-imported one is known by its content; the
 * quarantine finds an input it filed before by its hash and place.
 */
export const reportsOnceMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('failure_reports').addColumn('dedup_key', 'text').execute();
    await db.schema
      .createIndex('failure_reports_dedup')
      .unique()
      .on('failure_reports')
      .columns(['domain_id', 'dedup_key'])
      .execute();
    await db.schema
      .createIndex('report_quarantine_input')
      .on('report_quarantine')
      .columns(['raw_sha256', 'path'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('report_quarantine_input').execute();
    await db.schema.dropIndex('failure_reports_dedup').execute();
    await db.schema.alterTable('failure_reports').dropColumn('dedup_key').execute();
  },
};

/** Windows by arrival (`received_at`) read a domain's reports in one index range, as windows by cover day do. */
export const reportsArrivalMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('reports_domain_received')
      .on('reports')
      .columns(['domain_id', 'received_at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('reports_domain_received').execute();
  },
};

/**
 * 0430-reports-trust: who really sent each report (src/reports/reporter-trust.ts). Reports stored before have no
 * message left to check: they become `legacy`, dated at the migration, and count as evidence for a transition
 * period (`reports.legacyTrustDays`) measured from `trust_at`. `rollup` keeps the figures a report added to the
 * daily roll-ups, so an unverified report can be taken out again when the verified one arrives.
 */
export const reportsTrustMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('reports')
      .addColumn('trust', 'text', (c) => c.notNull().defaultTo('legacy'))
      .execute();
    await db.schema.alterTable('reports').addColumn('trust_reason', 'text').execute();
    await db.schema.alterTable('reports').addColumn('verified_domain', 'text').execute();
    await db.schema.alterTable('reports').addColumn('trust_at', 'text').execute();
    await db.schema.alterTable('reports').addColumn('rollup', 'text').execute();
    const now = new Date().toISOString();
    await sql`update reports set trust_at = ${now},
      trust_reason = ${'stored before reporter verification existed'}`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const column of ['rollup', 'trust_at', 'verified_domain', 'trust_reason', 'trust'])
      await db.schema.alterTable('reports').dropColumn(column).execute();
  },
};
