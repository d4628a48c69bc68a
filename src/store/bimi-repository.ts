import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { BimiLogo, BimiLogoRepository } from '../bimi/index.ts';
import type { Database } from './database.ts';

export const bimiMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('bimi_logos')
      .addColumn('domain_id', 'text', (c) => c.primaryKey().references('domains.id').onDelete('cascade'))
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('svg', 'text', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('uploaded_at', 'text', (c) => c.notNull())
      .execute();
  },
};

export function bimiLogoRepository(db: Kysely<Database>): BimiLogoRepository {
  return {
    async get(domainId) {
      const r = await db
        .selectFrom('bimi_logos')
        .selectAll()
        .where('domain_id', '=', domainId)
        .executeTakeFirst();
      return r === undefined
        ? null
        : {
            domainId: r.domain_id,
            tenantId: r.tenant_id,
            sha256: r.sha256,
            svg: r.svg,
            bytes: Number(r.bytes),
            uploadedAt: r.uploaded_at,
          };
    },
    async put(logo: BimiLogo) {
      const row = {
        domain_id: logo.domainId,
        tenant_id: logo.tenantId,
        sha256: logo.sha256,
        svg: logo.svg,
        bytes: logo.bytes,
        uploaded_at: logo.uploadedAt,
      };
      await db
        .insertInto('bimi_logos')
        .values(row)
        .onConflict((oc) =>
          oc.column('domain_id').doUpdateSet({
            tenant_id: row.tenant_id,
            sha256: row.sha256,
            svg: row.svg,
            bytes: row.bytes,
            uploaded_at: row.uploaded_at,
          }),
        )
        .execute();
    },
    async remove(domainId) {
      await db.deleteFrom('bimi_logos').where('domain_id', '=', domainId).execute();
    },
  };
}
