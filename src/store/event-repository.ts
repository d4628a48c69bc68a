import type { Kysely, Selectable } from 'kysely';
import type { Migration } from 'kysely/migration';
import type {
  Delivery,
  EventRepository,
  EventSeverity,
  NotificationSettings,
  PlatformEvent,
} from '../events/index.ts';
import { insertRows } from './batch-insert.ts';
import type { Database, Dialect } from './database.ts';
import type { EventDeliveriesTable, EventsTable, NotificationSettingsTable } from './dkim-tables.ts';

const toEvent = (r: Selectable<EventsTable>): PlatformEvent => ({
  id: r.id,
  tenantId: r.tenant_id,
  domainId: r.domain_id,
  type: r.type,
  severity: r.severity as EventSeverity,
  message: r.message,
  data: JSON.parse(r.data) as Record<string, unknown>,
  at: r.at,
});

const toDelivery = (r: Selectable<EventDeliveriesTable>): Delivery => ({
  id: r.id,
  eventId: r.event_id,
  tenantId: r.tenant_id,
  channel: r.channel === 'email' ? 'email' : 'webhook',
  target: r.target,
  status: r.status as Delivery['status'],
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
});

const toSettings = (r: Selectable<NotificationSettingsTable>): NotificationSettings => ({
  tenantId: r.tenant_id,
  webhookUrl: r.webhook_url,
  webhookSecret:
    r.webhook_kek_id !== null && r.webhook_secret_sealed !== null
      ? { kekId: r.webhook_kek_id, sealed: r.webhook_secret_sealed }
      : null,
  emailTo: JSON.parse(r.email_to) as string[],
  minSeverity: r.min_severity as EventSeverity,
  updatedAt: r.updated_at,
});

/** 0940: a tenant's latest deliveries are read by tenant and time (the notifications page), not by a scan. */
export const eventDeliveriesByTenantMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('event_deliveries_tenant_created')
      .on('event_deliveries')
      .columns(['tenant_id', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('event_deliveries_tenant_created').execute();
  },
};

const eventRow = (event: PlatformEvent) => ({
  id: event.id,
  tenant_id: event.tenantId,
  domain_id: event.domainId,
  type: event.type,
  severity: event.severity,
  message: event.message,
  data: JSON.stringify(event.data),
  at: event.at,
});

const deliveryRow = (d: Delivery) => ({
  id: d.id,
  event_id: d.eventId,
  tenant_id: d.tenantId,
  channel: d.channel,
  target: d.target,
  status: d.status,
  attempts: d.attempts,
  next_attempt_at: d.nextAttemptAt,
  last_error: d.lastError,
  delivered_at: d.deliveredAt,
  created_at: d.createdAt,
});

const EVENT_COLUMNS = ['id', 'tenant_id', 'domain_id', 'type', 'severity', 'message', 'data', 'at'];
const eventValues = (e: PlatformEvent): unknown[] => [
  e.id,
  e.tenantId,
  e.domainId,
  e.type,
  e.severity,
  e.message,
  JSON.stringify(e.data),
  e.at,
];
const DELIVERY_COLUMNS = [
  'id',
  'event_id',
  'tenant_id',
  'channel',
  'target',
  'status',
  'attempts',
  'next_attempt_at',
  'last_error',
  'delivered_at',
  'created_at',
];
const deliveryValues = (d: Delivery): unknown[] => [
  d.id,
  d.eventId,
  d.tenantId,
  d.channel,
  d.target,
  d.status,
  d.attempts,
  d.nextAttemptAt,
  d.lastError,
  d.deliveredAt,
  d.createdAt,
];

export function eventRepository(db: Kysely<Database>, dialect: Dialect): EventRepository {
  return {
    async insert(event, deliveries) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('events').values(eventRow(event)).execute();
        for (const d of deliveries) await trx.insertInto('event_deliveries').values(deliveryRow(d)).execute();
      });
    },
    async insertAll(items) {
      if (items.length === 0) return;
      // A batch of opens and clicks: cached multi-row statements (batch-insert.ts), not a query tree per batch.
      const deliveries: unknown[][] = [];
      for (const i of items) for (const d of i.deliveries) deliveries.push(deliveryValues(d));
      await db.transaction().execute(async (trx) => {
        await insertRows(
          trx,
          dialect,
          'events',
          EVENT_COLUMNS,
          items.map((i) => eventValues(i.event)),
        );
        await insertRows(trx, dialect, 'event_deliveries', DELIVERY_COLUMNS, deliveries);
      });
    },
    async list(tenantId, query) {
      let q = db.selectFrom('events').selectAll().where('tenant_id', '=', tenantId);
      if (query.since !== undefined) q = q.where('at', '>=', query.since);
      if (query.type !== undefined) {
        // `dkim.key` matches dkim.key.* as well as the exact type.
        const prefix = query.type;
        q = q.where((eb) =>
          eb.or([eb('type', '=', prefix), eb('type', 'like', `${prefix.replace(/[%_]/g, '')}.%`)]),
        );
      }
      const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
      return rows.map(toEvent);
    },
    async findEvent(eventId) {
      const row = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
      return row === undefined ? null : toEvent(row);
    },
    async settings(tenantId) {
      const row = await db
        .selectFrom('notification_settings')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return row === undefined ? null : toSettings(row);
    },
    async saveSettings(s) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('notification_settings').where('tenant_id', '=', s.tenantId).execute();
        await trx
          .insertInto('notification_settings')
          .values({
            tenant_id: s.tenantId,
            webhook_url: s.webhookUrl,
            webhook_kek_id: s.webhookSecret?.kekId ?? null,
            webhook_secret_sealed: s.webhookSecret?.sealed ?? null,
            email_to: JSON.stringify(s.emailTo),
            min_severity: s.minSeverity,
            updated_at: s.updatedAt,
          })
          .execute();
      });
    },
    async dueDeliveries(now, limit) {
      const rows = await db
        .selectFrom('event_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      return rows.map(toDelivery);
    },
    async claim(id, seen, leaseUntil) {
      const r = await db
        .updateTable('event_deliveries')
        .set({ next_attempt_at: leaseUntil })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '=', seen)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async settle(id, outcome) {
      await db
        .updateTable('event_deliveries')
        .set(
          outcome.status === 'delivered'
            ? { status: 'delivered', delivered_at: outcome.at, attempts: outcome.attempts, last_error: null }
            : {
                status: outcome.status,
                attempts: outcome.attempts,
                next_attempt_at: outcome.nextAttemptAt,
                last_error: outcome.error,
              },
        )
        .where('id', '=', id)
        .execute();
    },
    async deliveriesOf(eventId) {
      const rows = await db
        .selectFrom('event_deliveries')
        .selectAll()
        .where('event_id', '=', eventId)
        .orderBy('channel')
        .execute();
      return rows.map(toDelivery);
    },
    async recentDeliveries(tenantId, limit) {
      const rows = await db
        .selectFrom('event_deliveries')
        .innerJoin('events', 'events.id', 'event_deliveries.event_id')
        .selectAll('event_deliveries')
        .select('events.type as event_type')
        .where('event_deliveries.tenant_id', '=', tenantId)
        .orderBy('event_deliveries.created_at', 'desc')
        .orderBy('event_deliveries.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...toDelivery(r), eventType: r.event_type }));
    },
    async webhookSecretsNotUnder(kekId) {
      const rows = await db
        .selectFrom('notification_settings')
        .select(['tenant_id', 'webhook_kek_id', 'webhook_secret_sealed'])
        .where('webhook_kek_id', 'is not', null)
        .where('webhook_kek_id', '!=', kekId)
        .execute();
      return rows.map((r) => ({
        tenantId: r.tenant_id,
        secret: { kekId: r.webhook_kek_id ?? '', sealed: r.webhook_secret_sealed ?? '' },
      }));
    },
    async rewrapWebhookSecret(tenantId, fromKekId, to) {
      const r = await db
        .updateTable('notification_settings')
        .set({ webhook_kek_id: to.kekId, webhook_secret_sealed: to.sealed })
        .where('tenant_id', '=', tenantId)
        .where('webhook_kek_id', '=', fromKekId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
