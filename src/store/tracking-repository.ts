import { CompiledQuery, sql, type Kysely, type Selectable } from 'kysely';
import type { Migration } from 'kysely/migration';
import type {
  LinkFigures,
  RecipientKey,
  StoredTrackingEvent,
  TrackingDay,
  TrackingEvent,
  TrackingRepository,
  VisitClass,
  VisitKind,
} from '../tracking/index.ts';
import { insertRows } from './batch-insert.ts';
import type { Database, Dialect } from './database.ts';
import type { TrackingEventsTable } from './tracking-tables.ts';

/**
 * Migration 1010-tracking-events: opens and clicks. (tenant_id, domain_id, at) serves the figures per domain and
 * day, (message_id, recipient_index, at) the burst rule and a message's links, (at) the retention purge.
 */
export function trackingMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tracking_events')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('domain_id', 'text')
        .addColumn('sender_domain', 'text')
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('recipient_index', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('link_index', 'integer', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('client_network', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('class', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('tracking_events_domain_at')
        .on('tracking_events')
        .columns(['tenant_id', 'domain_id', 'at'])
        .execute();
      await db.schema
        .createIndex('tracking_events_message')
        .on('tracking_events')
        .columns(['message_id', 'recipient_index', 'at'])
        .execute();
      await db.schema.createIndex('tracking_events_at').on('tracking_events').column('at').execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table tracking_events`.execute(db);
    },
  };
}

const toEvent = (r: Selectable<TrackingEventsTable>): StoredTrackingEvent => ({
  id: Number(r.id),
  tenantId: r.tenant_id,
  domainId: r.domain_id,
  senderDomain: r.sender_domain,
  messageId: r.message_id,
  recipientIndex: Number(r.recipient_index),
  kind: r.kind as VisitKind,
  linkIndex: Number(r.link_index),
  url: r.url,
  at: r.at,
  clientNetwork: r.client_network,
  userAgent: r.user_agent,
  class: r.class as VisitClass,
  rule: r.rule,
});

const toRow = (e: TrackingEvent) => ({
  tenant_id: e.tenantId,
  domain_id: e.domainId,
  sender_domain: e.senderDomain,
  message_id: e.messageId,
  recipient_index: e.recipientIndex,
  kind: e.kind,
  link_index: e.linkIndex,
  url: e.url,
  at: e.at,
  client_network: e.clientNetwork,
  user_agent: e.userAgent,
  class: e.class,
  rule: e.rule,
});

const COLUMNS = [
  'tenant_id',
  'domain_id',
  'sender_domain',
  'message_id',
  'recipient_index',
  'kind',
  'link_index',
  'url',
  'at',
  'client_network',
  'user_agent',
  'class',
  'rule',
];

/** toRow's values in COLUMNS' order, for the batch insert. */
const valuesOf = (e: TrackingEvent): unknown[] => [
  e.tenantId,
  e.domainId,
  e.senderDomain,
  e.messageId,
  e.recipientIndex,
  e.kind,
  e.linkIndex,
  e.url,
  e.at,
  e.clientNetwork,
  e.userAgent,
  e.class,
  e.rule,
];

interface RecentRow {
  id: number | string;
  message_id: string;
  recipient_index: number | string;
  link_index: number | string;
  at: string;
}

const RECENT_CHUNKS = [64, 16, 4, 1] as const;
const recentTexts = new Map<string, string>();

/** `select … limit 50 union all select … limit 50 …` for `count` recipients, in the dialect's placeholders. */
function recentClicksText(dialect: Dialect, count: number): string {
  const key = `${dialect} ${count}`;
  let text = recentTexts.get(key);
  if (text === undefined) {
    const mark = (n: number) => (dialect === 'postgres' ? `$${n}` : '?');
    const parts: string[] = [];
    for (let r = 0; r < count; r++)
      parts.push(
        `select * from (select id, message_id, recipient_index, link_index, at from tracking_events ` +
          `where message_id = ${mark(3 * r + 1)} and recipient_index = ${mark(3 * r + 2)} and kind = 'click' ` +
          `and at >= ${mark(3 * r + 3)} order by at desc, id desc limit 50) as r${r}`,
      );
    text = parts.join(' union all ');
    recentTexts.set(key, text);
  }
  return text;
}

const zero = (): Record<VisitClass, number> => ({ human: 0, 'privacy-proxy': 0, scanner: 0 });

/** The first instant after the day `toDay` (YYYY-MM-DD): ranges are [from, next) over ISO text. */
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();

/** One (message, recipient) pair, as one value for count(distinct …) in both dialects. */
const recipientKey = sql<string>`message_id || ':' || recipient_index`;

interface LinkRow {
  url: string;
  link_index: number | null;
  class: string;
  recipients: number | string;
  clicks: number | string;
}

function linkFigures(rows: readonly LinkRow[], limit: number): LinkFigures[] {
  const byLink = new Map<
    string,
    { url: string; linkIndex: number | null; unique: Record<VisitClass, number>; humanClicks: number }
  >();
  for (const r of rows) {
    const linkIndex = r.link_index === null ? null : Number(r.link_index);
    const key = `${linkIndex ?? ''} ${r.url}`;
    let link = byLink.get(key);
    if (link === undefined)
      byLink.set(key, (link = { url: r.url, linkIndex, unique: zero(), humanClicks: 0 }));
    const cls = r.class as VisitClass;
    if (cls in link.unique) link.unique[cls] += Number(r.recipients);
    if (cls === 'human') link.humanClicks += Number(r.clicks);
  }
  return [...byLink.values()]
    .sort(
      (a, b) =>
        b.unique.human - a.unique.human ||
        b.humanClicks - a.humanClicks ||
        (a.linkIndex ?? 0) - (b.linkIndex ?? 0) ||
        a.url.localeCompare(b.url),
    )
    .slice(0, limit)
    .map((l) => ({ ...l, unique: l.unique }));
}

export function trackingRepository(db: Kysely<Database>, dialect: Dialect): TrackingRepository {
  return {
    async insert(e) {
      const row = await db
        .insertInto('tracking_events')
        .values(toRow(e))
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    },
    async insertAll(events) {
      if (events.length === 0) return;
      // A batch of opens and clicks (hundreds every 100 ms under load): cached multi-row statements, not a
      // query tree per batch.
      await db.transaction().execute(async (trx) => {
        await insertRows(trx, dialect, 'tracking_events', COLUMNS, events.map(valuesOf));
      });
    },
    async recentClicks(recipients, since) {
      const out: Array<RecipientKey & { id: number; linkIndex: number; at: string }> = [];
      // One statement for up to 64 recipients, each its own `order by at desc limit 50` on the
      // (message_id, recipient_index, at) index: a recipient clicked thousands of times costs no more than one
      // clicked once, and a batch of a newsletter's clicks costs a few statements, not one per recipient.
      let i = 0;
      for (const size of RECENT_CHUNKS) {
        while (recipients.length - i >= size) {
          const params: unknown[] = [];
          for (let r = i; r < i + size; r++)
            params.push(recipients[r]!.messageId, recipients[r]!.recipientIndex, since);
          const { rows } = await db.executeQuery<RecentRow>(
            CompiledQuery.raw(recentClicksText(dialect, size), params),
          );
          // Each recipient's rows come newest first; the caller wants them oldest first.
          for (let r = rows.length - 1; r >= 0; r--) {
            const row = rows[r]!;
            out.push({
              id: Number(row.id),
              messageId: row.message_id,
              recipientIndex: Number(row.recipient_index),
              linkIndex: Number(row.link_index),
              at: row.at,
            });
          }
          i += size;
        }
      }
      return out;
    },
    async reclassify(ids, verdict) {
      if (ids.length === 0) return;
      await db
        .updateTable('tracking_events')
        .set({ class: verdict.class, rule: verdict.rule })
        .where('id', 'in', [...ids])
        .execute();
    },
    async days(tenantId, domainId, fromDay, toDay) {
      const from = `${fromDay}T00:00:00.000Z`;
      const to = dayAfter(toDay);
      const day = sql<string>`substr(at, 1, 10)`;
      const counts = await db
        .selectFrom('tracking_events')
        .select([
          day.as('day'),
          'kind',
          'class',
          sql<number | string>`count(distinct ${recipientKey})`.as('n'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('domain_id', '=', domainId)
        .where('at', '>=', from)
        .where('at', '<', to)
        .groupBy([day, 'kind', 'class'])
        .execute();
      const deliveredDay = sql<string>`substr(a.at, 1, 10)`;
      const delivered = await db
        .selectFrom('gateway_attempts as a')
        .innerJoin('gateway_messages as m', 'm.id', 'a.message_id')
        .select([deliveredDay.as('day'), sql<number | string>`count(*)`.as('n')])
        .where('m.tenant_id', '=', tenantId)
        .where('m.domain_id', '=', domainId)
        .where('a.status', '=', 'delivered')
        .where('a.at', '>=', from)
        .where('a.at', '<', to)
        .groupBy(deliveredDay)
        .execute();
      const days = new Map<
        string,
        { delivered: number; opens: Record<VisitClass, number>; clicks: Record<VisitClass, number> }
      >();
      const dayOf = (d: string) => {
        let found = days.get(d);
        if (found === undefined) days.set(d, (found = { delivered: 0, opens: zero(), clicks: zero() }));
        return found;
      };
      for (const r of delivered) dayOf(r.day).delivered += Number(r.n);
      for (const r of counts) {
        const target = r.kind === 'open' ? dayOf(r.day).opens : dayOf(r.day).clicks;
        const cls = r.class as VisitClass;
        if (cls in target) target[cls] += Number(r.n);
      }
      return [...days.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([d, v]): TrackingDay => ({ day: d, ...v }));
    },
    async domainLinks(tenantId, domainId, fromDay, toDay, limit) {
      const rows = await db
        .selectFrom('tracking_events')
        .select([
          'url',
          sql<null>`null`.as('link_index'),
          'class',
          sql<number | string>`count(distinct ${recipientKey})`.as('recipients'),
          sql<number | string>`count(*)`.as('clicks'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('domain_id', '=', domainId)
        .where('kind', '=', 'click')
        .where('at', '>=', `${fromDay}T00:00:00.000Z`)
        .where('at', '<', dayAfter(toDay))
        .groupBy(['url', 'class'])
        .execute();
      return linkFigures(rows, limit);
    },
    async messageLinks(tenantId, messageId) {
      const rows = await db
        .selectFrom('tracking_events')
        .select([
          'url',
          'link_index',
          'class',
          sql<number | string>`count(distinct ${recipientKey})`.as('recipients'),
          sql<number | string>`count(*)`.as('clicks'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('message_id', '=', messageId)
        .where('kind', '=', 'click')
        .groupBy(['link_index', 'url', 'class'])
        .execute();
      return linkFigures(rows, 1000);
    },
    async list(tenantId, query) {
      let q = db.selectFrom('tracking_events').selectAll().where('tenant_id', '=', tenantId);
      if (query.domainId !== undefined) q = q.where('domain_id', '=', query.domainId);
      if (query.messageId !== undefined) q = q.where('message_id', '=', query.messageId);
      const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
      return rows.map(toEvent);
    },
    async purge(before) {
      const r = await db.deleteFrom('tracking_events').where('at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
