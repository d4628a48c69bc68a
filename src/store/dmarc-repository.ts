import type { Kysely, Selectable } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DmarcDecision, DmarcRepository, StoredDmarcPolicy } from '../dmarc/index.ts';
import type { Database } from './database.ts';
import type { DmarcDecisionsTable, DmarcPoliciesTable } from './dmarc-tables.ts';
import { logChange } from './domain-repository.ts';

export const dmarcMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('dmarc_policies')
      .addColumn('domain_id', 'text', (c) => c.primaryKey().references('domains.id').onDelete('cascade'))
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull())
      .addColumn('autopilot', 'text', (c) => c.notNull())
      .addColumn('schedule', 'text', (c) => c.notNull())
      .addColumn('automated', 'integer', (c) => c.notNull())
      .addColumn('step_changed_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('dmarc_policies_automated')
      .on('dmarc_policies')
      .column('automated')
      .execute();
    await db.schema
      .createTable('dmarc_decisions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('domain_id', 'text', (c) => c.notNull().references('domains.id').onDelete('cascade'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('from_step', 'integer', (c) => c.notNull())
      .addColumn('to_step', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('checks', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('dmarc_decisions_domain_at')
      .on('dmarc_decisions')
      .columns(['domain_id', 'at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('dmarc_decisions').execute();
    await db.schema.dropTable('dmarc_policies').execute();
  },
};

function toPolicy(r: Selectable<DmarcPoliciesTable>): StoredDmarcPolicy {
  const options = JSON.parse(r.options) as Omit<StoredDmarcPolicy['policy'], 'step'>;
  return {
    domainId: r.domain_id,
    tenantId: r.tenant_id,
    policy: { ...options, step: r.step },
    autopilot: JSON.parse(r.autopilot) as StoredDmarcPolicy['autopilot'],
    schedule: JSON.parse(r.schedule) as StoredDmarcPolicy['schedule'],
    stepChangedAt: r.step_changed_at,
    updatedAt: r.updated_at,
  };
}

function toDecision(r: Selectable<DmarcDecisionsTable>): DmarcDecision {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    domainId: r.domain_id,
    at: r.at,
    actor: r.actor as DmarcDecision['actor'],
    action: r.action as DmarcDecision['action'],
    fromStep: r.from_step,
    toStep: r.to_step,
    reason: r.reason,
    checks: JSON.parse(r.checks) as DmarcDecision['checks'],
  };
}

function decisionRow(d: DmarcDecision) {
  return {
    id: d.id,
    tenant_id: d.tenantId,
    domain_id: d.domainId,
    at: d.at,
    actor: d.actor,
    action: d.action,
    from_step: d.fromStep,
    to_step: d.toStep,
    reason: d.reason,
    checks: JSON.stringify(d.checks),
  };
}

export function dmarcRepository(db: Kysely<Database>): DmarcRepository {
  return {
    async find(domainId) {
      const row = await db
        .selectFrom('dmarc_policies')
        .selectAll()
        .where('domain_id', '=', domainId)
        .executeTakeFirst();
      return row ? toPolicy(row) : null;
    },
    async findMany(domainIds) {
      const out: StoredDmarcPolicy[] = [];
      for (let i = 0; i < domainIds.length; i += 500) {
        const rows = await db
          .selectFrom('dmarc_policies')
          .selectAll()
          .where('domain_id', 'in', domainIds.slice(i, i + 500))
          .execute();
        for (const row of rows) out.push(toPolicy(row));
      }
      return out;
    },
    async save(p, decision) {
      const { step, ...options } = p.policy;
      const row = {
        domain_id: p.domainId,
        tenant_id: p.tenantId,
        step,
        options: JSON.stringify(options),
        autopilot: JSON.stringify(p.autopilot),
        schedule: JSON.stringify(p.schedule),
        automated: p.autopilot.enabled || p.schedule.length > 0 ? 1 : 0,
        step_changed_at: p.stepChangedAt,
        updated_at: p.updatedAt,
      };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('dmarc_policies')
          .values(row)
          .onConflict((oc) => oc.column('domain_id').doUpdateSet({ ...row }))
          .execute();
        if (decision !== null)
          await trx.insertInto('dmarc_decisions').values(decisionRow(decision)).execute();
        // The hosted _dmarc record changes: the DNS server re-serves it from this change.
        await logChange(trx, p.updatedAt, p.tenantId, 'domain', p.domainId, 'dmarc-policy-changed');
      });
    },
    async recordDecision(d) {
      await db.insertInto('dmarc_decisions').values(decisionRow(d)).execute();
    },
    async decisions(tenantId, domainId, limit) {
      const rows = await db
        .selectFrom('dmarc_decisions')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('domain_id', '=', domainId)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toDecision);
    },
    async listAutomated() {
      const rows = await db.selectFrom('dmarc_policies').selectAll().where('automated', '=', 1).execute();
      return rows.map(toPolicy);
    },
  };
}
