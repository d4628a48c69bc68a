import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DomainRepository, SenderDomain } from '../domains/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import type { Database } from './database.ts';
import type { DomainsTable } from './foundation-tables.ts';

function toDomain(r: Selectable<DomainsTable>): SenderDomain {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name as DomainName,
    token: r.token,
    settings: {
      mode: r.mode === 'self-hosted' ? 'self-hosted' : 'delegated',
      bounceLabel: r.bounce_label,
      clickLabel: r.click_label,
      tracking: r.tracking === 1,
      spfMechanisms: parseList(r.spf_mechanisms) as string[],
      dkimSelectors: parseList(r.dkim_selectors) as string[],
      ownDkimSelectors: parseList(r.own_dkim_selectors) as SenderDomain['settings']['ownDkimSelectors'],
      // Only a domain with MTA-STS on carries the field, so a domain reads back as it was written.
      ...(r.mta_sts === null
        ? {}
        : { mtaSts: JSON.parse(r.mta_sts) as NonNullable<SenderDomain['settings']['mtaSts']> }),
      ...(r.sending === null
        ? {}
        : { sending: JSON.parse(r.sending) as NonNullable<SenderDomain['settings']['sending']> }),
    },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    verifiedAt: r.verified_at,
  };
}

/** A JSON array column; most rows hold "[]", which needs no parser (a full zone build reads every row). */
function parseList(json: string): unknown[] {
  return json === '[]' ? [] : (JSON.parse(json) as unknown[]);
}

function settingsColumns(d: SenderDomain) {
  return {
    mode: d.settings.mode,
    bounce_label: d.settings.bounceLabel,
    click_label: d.settings.clickLabel,
    tracking: d.settings.tracking ? 1 : 0,
    spf_mechanisms: JSON.stringify(d.settings.spfMechanisms),
    dkim_selectors: JSON.stringify(d.settings.dkimSelectors),
    own_dkim_selectors: JSON.stringify(d.settings.ownDkimSelectors),
    mta_sts: d.settings.mtaSts == null ? null : JSON.stringify(d.settings.mtaSts),
    sending: d.settings.sending == null ? null : JSON.stringify(d.settings.sending),
  };
}

/** Appends to the change log in the same transaction as the change itself. */
export async function logChange(
  trx: Transaction<Database> | Kysely<Database>,
  at: string,
  tenantId: string | null,
  subject: string,
  subjectId: string,
  action: string,
): Promise<void> {
  await trx
    .insertInto('changes')
    .values({ at, tenant_id: tenantId, subject, subject_id: subjectId, action })
    .execute();
}

export function domainRepository(db: Kysely<Database>): DomainRepository {
  const exists = async (trx: Kysely<Database>, d: SenderDomain) => ({
    token:
      (await trx
        .selectFrom('issued_tokens')
        .select('token')
        .where('token', '=', d.token)
        .executeTakeFirst()) !== undefined,
    name:
      (await trx
        .selectFrom('domains')
        .select('id')
        .where('tenant_id', '=', d.tenantId)
        .where('name', '=', d.name)
        .executeTakeFirst()) !== undefined,
  });

  return {
    async insert(d) {
      try {
        return await db.transaction().execute(async (trx) => {
          const taken = await exists(trx, d);
          if (taken.name) return 'name_taken' as const;
          if (taken.token) return 'token_taken' as const;
          await trx.insertInto('issued_tokens').values({ token: d.token, issued_at: d.createdAt }).execute();
          await trx
            .insertInto('domains')
            .values({
              id: d.id,
              tenant_id: d.tenantId,
              name: d.name,
              token: d.token,
              ...settingsColumns(d),
              created_at: d.createdAt,
              updated_at: d.updatedAt,
              verified_at: d.verifiedAt,
            })
            .execute();
          await logChange(trx, d.createdAt, d.tenantId, 'domain', d.id, 'added');
          return 'ok' as const;
        });
      } catch (error) {
        // A concurrent insert won the race for the name or the token: say which, as the check above would have.
        const taken = await exists(db, d);
        if (taken.name) return 'name_taken';
        if (taken.token) return 'token_taken';
        throw error;
      }
    },
    async findByName(tenantId, name) {
      const row = await db
        .selectFrom('domains')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? toDomain(row) : null;
    },
    async findById(id) {
      const row = await db.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toDomain(row) : null;
    },
    async listByTenant(tenantId) {
      const rows = await db
        .selectFrom('domains')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('name')
        .execute();
      return rows.map(toDomain);
    },
    async listAll() {
      const rows = await db.selectFrom('domains').selectAll().orderBy('name').orderBy('tenant_id').execute();
      return rows.map(toDomain);
    },
    async countAll() {
      const row = await db
        .selectFrom('domains')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async listAfter(afterId, limit) {
      const rows = await db
        .selectFrom('domains')
        .selectAll()
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toDomain);
    },
    async setVerified(domainId, at, now) {
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('domains')
          .select(['tenant_id'])
          .where('id', '=', domainId)
          .executeTakeFirst();
        if (row === undefined) return;
        await trx.updateTable('domains').set({ verified_at: at }).where('id', '=', domainId).execute();
        await logChange(trx, now, row.tenant_id, 'domain', domainId, at === null ? 'unverified' : 'verified');
      });
    },
    async update(d) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('domains')
          .set({ ...settingsColumns(d), updated_at: d.updatedAt, verified_at: d.verifiedAt })
          .where('id', '=', d.id)
          .where('tenant_id', '=', d.tenantId)
          .execute();
        await logChange(trx, d.updatedAt, d.tenantId, 'domain', d.id, 'updated');
      });
    },
    async remove(tenantId, name, at) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('domains')
          .select(['id'])
          .where('tenant_id', '=', tenantId)
          .where('name', '=', name)
          .executeTakeFirst();
        if (row === undefined) return false;
        await trx.deleteFrom('domains').where('id', '=', row.id).execute();
        await logChange(trx, at, tenantId, 'domain', row.id, 'removed');
        return true;
      });
    },
  };
}
