import { sql, type CompiledQuery, type Kysely, type Selectable } from 'kysely';
import type { Migration } from 'kysely/migration';
import {
  suppressionKey,
  type Suppression,
  type SuppressionAudit,
  type SuppressionReason,
  type SuppressionRepository,
  type SuppressionSource,
} from '../suppression/index.ts';
import type { Database, Dialect } from './database.ts';
import type { SuppressionsTable } from './suppression-tables.ts';

/**
 * Migration 0970-suppressions: the list and its audit trail. The primary key (tenant_id, address) is the index a
 * lookup at RCPT uses (bench/suppression measures it at 1,000,000 rows); (tenant_id, created_at) serves the pages.
 */
export function suppressionMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('suppressions')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('suppressions_pk', ['tenant_id', 'address'])
        .execute();
      await db.schema
        .createIndex('suppressions_tenant_created')
        .on('suppressions')
        .columns(['tenant_id', 'created_at'])
        .execute();
      await db.schema
        .createTable('suppression_audit')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('why', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('suppression_settings')
        .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('suppression_audit_address')
        .on('suppression_audit')
        .columns(['tenant_id', 'address'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table suppression_settings`.execute(db);
      await sql`drop table suppression_audit`.execute(db);
      await sql`drop table suppressions`.execute(db);
    },
  };
}

/** Migration 1021-suppression-expiry: the purge of expired entries finds them by expires_at, not by a scan. */
export const suppressionExpiryMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('suppressions_expires').on('suppressions').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index suppressions_expires`.execute(db);
  },
};

/**
 * Migration 1100-suppression-domain: an entry may be scoped to one sender domain (`domain`, '' for the whole
 * tenant, so every existing row keeps its meaning), and the primary key becomes (tenant_id, address, domain): the
 * RCPT-time lookup stays one search of that index, for `domain in ('', <sender domain>)`. SQLite cannot change a
 * primary key in place, so its table is rebuilt; PostgreSQL swaps the constraint.
 */
export function suppressionDomainMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'postgres') {
        await sql`alter table suppressions add column domain text not null default ''`.execute(db);
        await sql`alter table suppressions drop constraint suppressions_pk`.execute(db);
        await sql`alter table suppressions add constraint suppressions_pk primary key (tenant_id, address, domain)`.execute(
          db,
        );
      } else {
        await db.schema
          .createTable('suppressions_scoped')
          .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('domain', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('evidence', 'text', (c) => c.notNull())
          .addColumn('message_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('suppressions_pk', ['tenant_id', 'address', 'domain'])
          .execute();
        await sql`insert into suppressions_scoped (tenant_id, address, domain, reason, source, evidence, message_id, created_at, expires_at, created_by)
          select tenant_id, address, '', reason, source, evidence, message_id, created_at, expires_at, created_by from suppressions`.execute(
          db,
        );
        await sql`drop table suppressions`.execute(db);
        await sql`alter table suppressions_scoped rename to suppressions`.execute(db);
        await db.schema
          .createIndex('suppressions_tenant_created')
          .on('suppressions')
          .columns(['tenant_id', 'created_at'])
          .execute();
        await db.schema.createIndex('suppressions_expires').on('suppressions').column('expires_at').execute();
      }
      await sql`alter table suppression_audit add column domain text not null default ''`.execute(db);
    },
  };
}

const toSuppression = (r: Selectable<SuppressionsTable>): Suppression => ({
  tenantId: r.tenant_id,
  address: r.address,
  reason: r.reason as SuppressionReason,
  source: r.source as SuppressionSource,
  evidence: r.evidence,
  messageId: r.message_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  createdBy: r.created_by,
  ...(r.domain === '' ? {} : { domain: r.domain }),
});

const auditRow = (a: SuppressionAudit) => ({
  tenant_id: a.tenantId,
  address: a.address,
  action: a.action,
  reason: a.reason,
  at: a.at,
  actor: a.actor,
  why: a.why.slice(0, 1000),
  domain: a.domain ?? '',
});

/** Inserts or replaces entries and appends their audit rows, in one transaction, in slices within the bind limit. */
async function putAll(
  db: Kysely<Database>,
  entries: readonly Suppression[],
  audits: readonly SuppressionAudit[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // 10 values a row: 300 rows stay under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
    for (let i = 0; i < entries.length; i += 300) {
      await trx
        .insertInto('suppressions')
        .values(
          entries.slice(i, i + 300).map((s) => ({
            tenant_id: s.tenantId,
            address: s.address,
            domain: s.domain ?? '',
            reason: s.reason,
            source: s.source,
            evidence: s.evidence,
            message_id: s.messageId,
            created_at: s.createdAt,
            expires_at: s.expiresAt,
            created_by: s.createdBy,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'address', 'domain']).doUpdateSet((eb) => ({
            reason: eb.ref('excluded.reason'),
            source: eb.ref('excluded.source'),
            evidence: eb.ref('excluded.evidence'),
            message_id: eb.ref('excluded.message_id'),
            created_at: eb.ref('excluded.created_at'),
            expires_at: eb.ref('excluded.expires_at'),
            created_by: eb.ref('excluded.created_by'),
          })),
        )
        .execute();
    }
    for (let i = 0; i < audits.length; i += 300) {
      await trx
        .insertInto('suppression_audit')
        .values(audits.slice(i, i + 300).map(auditRow))
        .execute();
    }
  });
}

/** `%`, `_` and the escape itself taken literally in a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The RCPT-time lookup, compiled once: building and compiling the query for every RCPT cost several times the
 * SELECT itself (bench/suppression). Markers stand for the values and are mapped to their parameter positions.
 */
function compiledFind(db: Kysely<Database>) {
  const marks = ['\u0000tenant', '\u0000address', '\u0000now'] as const;
  // One seek of the primary key's (tenant_id, address) prefix: the tenant's own entry and any scoped to one of its
  // sender domains are together there (usually one row), and the scope is picked below. A condition on domain in
  // SQL (`in ('', ?)`, or `= '' or = ?`) made SQLite probe the index twice and cost 15–200% more (bench:suppression).
  const compiled = db
    .selectFrom('suppressions')
    .selectAll()
    .where('tenant_id', '=', marks[0])
    .where('address', '=', marks[1])
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', marks[2])]))
    .compile();
  const positions = compiled.parameters.map((p) => marks.indexOf(p as (typeof marks)[number]));
  return async (tenantId: string, address: string, now: string, senderDomain?: string) => {
    const values = [tenantId, address, now];
    const query: CompiledQuery<Selectable<SuppressionsTable>> = {
      ...compiled,
      parameters: positions.map((i) => values[i]),
    };
    const rows = (await db.executeQuery(query)).rows;
    // The tenant's own entry is the one named; else the one scoped to the sender domain.
    let row = rows.find((r) => r.domain === '');
    if (row === undefined && senderDomain !== undefined) row = rows.find((r) => r.domain === senderDomain);
    return row === undefined ? null : toSuppression(row);
  };
}

export function suppressionRepository(db: Kysely<Database>): SuppressionRepository {
  const findInForce = compiledFind(db);
  return {
    find: findInForce,
    async get(tenantId, address, domain) {
      const row = await db
        .selectFrom('suppressions')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('address', '=', address)
        .where('domain', '=', domain ?? '')
        .executeTakeFirst();
      return row === undefined ? null : toSuppression(row);
    },
    async put(s, a) {
      await putAll(db, [s], [a]);
    },
    async putMany(entries, audits) {
      if (entries.length > 0) await putAll(db, entries, audits);
    },
    async findMany(tenantId, addresses, now) {
      const found = new Map<string, Suppression>();
      // 500 addresses a query keeps within every driver's limit of bound parameters.
      for (let i = 0; i < addresses.length; i += 500) {
        const rows = await db
          .selectFrom('suppressions')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('address', 'in', addresses.slice(i, i + 500))
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
          .execute();
        for (const r of rows)
          found.set(suppressionKey(r.address, r.domain === '' ? undefined : r.domain), toSuppression(r));
      }
      return found;
    },
    async remove(tenantId, address, a) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom('suppressions')
          .where('tenant_id', '=', tenantId)
          .where('address', '=', address)
          .where('domain', '=', a.domain ?? '')
          .executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) return false;
        await trx.insertInto('suppression_audit').values(auditRow(a)).execute();
        return true;
      });
    },
    async list(tenantId, { now, contains, limit, offset }) {
      let q = db
        .selectFrom('suppressions')
        .where('tenant_id', '=', tenantId)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
      if (contains !== undefined && contains !== '') {
        // lower() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not (for ASCII); a search is not.
        q = q.where(sql<boolean>`lower(address) like lower(${`%${likeLiteral(contains)}%`}) escape '\\'`);
      }
      const total = await q
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      const rows = await q
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('address')
        .limit(limit)
        .offset(offset)
        .execute();
      return { items: rows.map(toSuppression), total: Number(total.n) };
    },
    async audit(tenantId, address, limit) {
      let q = db.selectFrom('suppression_audit').selectAll().where('tenant_id', '=', tenantId);
      if (address !== null) q = q.where('address', '=', address);
      const rows = await q.orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r): SuppressionAudit => ({
        tenantId: r.tenant_id,
        address: r.address,
        action: r.action as SuppressionAudit['action'],
        reason: r.reason as SuppressionReason | null,
        at: r.at,
        actor: r.actor,
        why: r.why,
        ...(r.domain === '' ? {} : { domain: r.domain }),
      }));
    },
    async action(tenantId) {
      const row = await db
        .selectFrom('suppression_settings')
        .select('action')
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return row?.action === 'drop' ? 'drop' : 'refuse';
    },
    async setAction(tenantId, action, at, actor) {
      await db
        .insertInto('suppression_settings')
        .values({ tenant_id: tenantId, action, updated_at: at, updated_by: actor })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ action, updated_at: at, updated_by: actor }))
        .execute();
    },
    async purgeExpired(now, limit, actor) {
      return db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('suppressions')
          .select(['tenant_id', 'address', 'domain', 'reason'])
          .where('expires_at', '<=', now)
          .orderBy('expires_at')
          .limit(limit)
          .execute();
        for (let i = 0; i < rows.length; i += 300) {
          const slice = rows.slice(i, i + 300);
          await trx
            .insertInto('suppression_audit')
            .values(
              slice.map((r) =>
                auditRow({
                  tenantId: r.tenant_id,
                  address: r.address,
                  action: 'removed',
                  reason: r.reason as SuppressionReason,
                  at: now,
                  actor,
                  why: 'expired',
                  ...(r.domain === '' ? {} : { domain: r.domain }),
                }),
              ),
            )
            .execute();
          for (const r of slice) {
            await trx
              .deleteFrom('suppressions')
              .where('tenant_id', '=', r.tenant_id)
              .where('address', '=', r.address)
              .where('domain', '=', r.domain)
              .where('expires_at', '<=', now)
              .execute();
          }
        }
        return rows.length;
      });
    },
    async countBounces(tenantId, recipient, bounceClass, since) {
      const row = await db
        .selectFrom('gateway_bounces')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('recipient', '=', recipient)
        .where('class', '=', bounceClass)
        .where('at', '>=', since)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
