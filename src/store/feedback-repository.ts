import { sql, type Kysely, type Selectable } from 'kysely';
import type { Migration } from 'kysely/migration';
import type {
  DayCounts,
  FeedbackKind,
  FeedbackRecord,
  FeedbackRepository,
  FigureRepository,
  MatchedBy,
} from '../complaints/index.ts';
import type { Database, Dialect } from './database.ts';
import type { RecipientFeedbackTable } from './feedback-tables.ts';

/**
 * Migration 1020-feedback: complaints and unsubscribes by mail, one row each, unique per (message, recipient,
 * kind) so a report sent twice counts once (NULLs are distinct in a unique index in SQLite and PostgreSQL alike,
 * so unmatched reports are all kept); (tenant_id, domain_id, at) serves the figures per day. The crossings table
 * remembers which complaint-rate thresholds a domain's day has passed. gateway_attempts gets (tenant_id, at) for
 * the delivered figures.
 */
export function feedbackMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('recipient_feedback')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text', (c) => c.references('tenants.id').onDelete('cascade'))
        .addColumn('domain_id', 'text')
        .addColumn('message_id', 'text')
        .addColumn('recipient', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('matched_by', 'text')
        .addColumn('feedback_type', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('reporter', 'text')
        .addColumn('evidence', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('recipient_feedback_once')
        .on('recipient_feedback')
        .columns(['message_id', 'recipient', 'kind'])
        .unique()
        .execute();
      await db.schema
        .createIndex('recipient_feedback_domain_day')
        .on('recipient_feedback')
        .columns(['tenant_id', 'domain_id', 'at'])
        .execute();
      await db.schema
        .createTable('complaint_rate_crossings')
        .addColumn('domain_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('threshold', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('complaint_rate_crossings_pk', ['domain_id', 'day', 'threshold'])
        .execute();
      await db.schema
        .createIndex('gateway_attempts_tenant_at')
        .on('gateway_attempts')
        .columns(['tenant_id', 'at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop index gateway_attempts_tenant_at`.execute(db);
      await sql`drop table complaint_rate_crossings`.execute(db);
      await sql`drop table recipient_feedback`.execute(db);
    },
  };
}

const toRecord = (r: Selectable<RecipientFeedbackTable>): FeedbackRecord => ({
  kind: r.kind as FeedbackKind,
  tenantId: r.tenant_id,
  domainId: r.domain_id,
  messageId: r.message_id,
  recipient: r.recipient,
  at: r.at,
  matchedBy: r.matched_by as MatchedBy | null,
  feedbackType: r.feedback_type,
  userAgent: r.user_agent,
  reporter: r.reporter,
  evidence: r.evidence,
});

export function feedbackRepository(db: Kysely<Database>): FeedbackRepository {
  return {
    async insert(f) {
      const r = await db
        .insertInto('recipient_feedback')
        .values({
          kind: f.kind,
          tenant_id: f.tenantId,
          domain_id: f.domainId,
          message_id: f.messageId,
          recipient: f.recipient,
          at: f.at,
          matched_by: f.matchedBy,
          feedback_type: f.feedbackType,
          user_agent: f.userAgent,
          reporter: f.reporter,
          evidence: f.evidence,
        })
        .onConflict((oc) => oc.columns(['message_id', 'recipient', 'kind']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async list(tenantId, limit) {
      const q = db.selectFrom('recipient_feedback').selectAll();
      const rows = await (
        tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId)
      )
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
  };
}

/** `[from, to)` as ISO time stamps for days `fromDay` to `toDay` inclusive (YYYY-MM-DD, UTC). */
function span(fromDay: string, toDay: string): [string, string] {
  const end = new Date(`${toDay}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return [`${fromDay}T00:00:00.000Z`, end.toISOString()];
}

/**
 * The figures per domain per day, counted from the gateway's trace (messages, attempts, bounces) and the feedback
 * records: one query each, grouped by the UTC day of the time stamp (ISO text, so its first 10 characters).
 */
export function figureRepository(db: Kysely<Database>, dialect: Dialect): FigureRepository {
  const day = (column: string) => sql<string>`substr(${sql.ref(column)}, 1, 10)`;
  const recipientsCount =
    dialect === 'postgres'
      ? sql<number>`json_array_length(recipients::json)`
      : sql<number>`json_array_length(recipients)`;
  return {
    async domainDays(tenantId, domainId, fromDay, toDay) {
      const [from, to] = span(fromDay, toDay);
      const days = new Map<string, { -readonly [K in keyof DayCounts]: DayCounts[K] }>();
      const at = (d: string) => {
        let row = days.get(d);
        if (row === undefined) {
          row = {
            day: d,
            sent: 0,
            delivered: 0,
            hard: 0,
            soft: 0,
            block: 0,
            unknown: 0,
            complaints: 0,
            unsubscribes: 0,
          };
          days.set(d, row);
        }
        return row;
      };
      const sent = await db
        .selectFrom('gateway_messages')
        .select([day('accepted_at').as('day'), sql<number | string>`sum(${recipientsCount})`.as('n')])
        .where('tenant_id', '=', tenantId)
        .where('domain_id', '=', domainId)
        .where('accepted_at', '>=', from)
        .where('accepted_at', '<', to)
        .groupBy(day('accepted_at'))
        .execute();
      for (const r of sent) at(r.day).sent = Number(r.n);
      const delivered = await db
        .selectFrom('gateway_attempts as a')
        .innerJoin('gateway_messages as m', 'm.id', 'a.message_id')
        .select([day('a.at').as('day'), (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('a.tenant_id', '=', tenantId)
        .where('a.at', '>=', from)
        .where('a.at', '<', to)
        .where('a.status', '=', 'delivered')
        .where('m.domain_id', '=', domainId)
        .groupBy(day('a.at'))
        .execute();
      for (const r of delivered) at(r.day).delivered = Number(r.n);
      const bounced = await db
        .selectFrom('gateway_bounces')
        .select([day('at').as('day'), 'class', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('tenant_id', '=', tenantId)
        .where('domain_id', '=', domainId)
        .where('at', '>=', from)
        .where('at', '<', to)
        .groupBy([day('at'), 'class'])
        .execute();
      for (const r of bounced) {
        const row = at(r.day);
        const c = r.class === 'hard' || r.class === 'soft' || r.class === 'block' ? r.class : 'unknown';
        row[c] += Number(r.n);
      }
      const feedback = await db
        .selectFrom('recipient_feedback')
        .select([day('at').as('day'), 'kind', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('tenant_id', '=', tenantId)
        .where('domain_id', '=', domainId)
        .where('at', '>=', from)
        .where('at', '<', to)
        .where('kind', 'in', ['complaint', 'unsubscribe'])
        .groupBy([day('at'), 'kind'])
        .execute();
      for (const r of feedback) {
        if (r.kind === 'complaint') at(r.day).complaints += Number(r.n);
        else at(r.day).unsubscribes += Number(r.n);
      }
      return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
    },
    async markCrossing(domainId, d, threshold, now) {
      const r = await db
        .insertInto('complaint_rate_crossings')
        .values({ domain_id: domainId, day: d, threshold, at: now })
        .onConflict((oc) => oc.columns(['domain_id', 'day', 'threshold']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
  };
}
