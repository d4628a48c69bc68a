/**
 * The alerts capability's storage: its settings and condition states, and the reads it judges by (day, source,
 * reporter and selector figures of the reports that count as evidence, the gateway's deliveries by recipient
 * domain, and the report records of the platform's own addresses).
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import {
  DEFAULT_ALERT_SETTINGS,
  type AlertFacts,
  type AlertKind,
  type AlertRepository,
  type AlertState,
  type SelectorDayFigures,
  type StoredAlertSettings,
} from '../alerts/index.ts';
import {
  NO_FIGURES,
  type DailyFigures,
  type DkimAuthResult,
  type SpfAuthResult,
  type VerifiedOnly,
} from '../reports/index.ts';
import type { Database, Dialect } from './database.ts';
import type { StoredRollup } from './report-repository.ts';
import { countsAsEvidenceWhere } from './report-stats-repository.ts';

export const alertMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('alert_settings')
      .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('digest_sent_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('alert_states')
      .addColumn('domain_id', 'text', (c) => c.notNull().references('domains.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('cleared_at', 'text')
      .addPrimaryKeyConstraint('alert_states_pk', ['domain_id', 'kind', 'subject'])
      .execute();
    await db.schema
      .createIndex('alert_states_tenant')
      .on('alert_states')
      .columns(['tenant_id', 'opened_at'])
      .execute();
    // Reconciliation reads a domain's messages by day.
    await db.schema
      .createIndex('gateway_messages_domain')
      .on('gateway_messages')
      .columns(['domain_id', 'accepted_at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index gateway_messages_domain`.execute(db);
    await sql`drop table alert_states`.execute(db);
    await sql`drop table alert_settings`.execute(db);
  },
};

const n = (v: unknown): number => Number(v ?? 0);

function stateOf(r: Database['alert_states']): AlertState {
  return {
    tenantId: r.tenant_id,
    domainId: r.domain_id,
    kind: r.kind as AlertKind,
    subject: r.subject,
    openedAt: r.opened_at,
    lastSeenAt: r.last_seen_at,
    clearedAt: r.cleared_at,
  };
}

function settingsOf(r: Database['alert_settings']): StoredAlertSettings {
  const stored = JSON.parse(r.settings) as Partial<StoredAlertSettings>;
  return {
    ...DEFAULT_ALERT_SETTINGS,
    ...stored,
    digest: r.digest as StoredAlertSettings['digest'],
    tenantId: r.tenant_id,
    digestSentAt: r.digest_sent_at,
    updatedAt: r.updated_at,
  };
}

export function alertRepository(db: Kysely<Database>): AlertRepository {
  return {
    async settings(tenantId) {
      const r = await db
        .selectFrom('alert_settings')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return r === undefined ? null : settingsOf(r);
    },
    async saveSettings(s) {
      const { tenantId, digestSentAt, updatedAt, digest, ...rest } = s;
      const row = {
        tenant_id: tenantId,
        settings: JSON.stringify(rest),
        digest,
        digest_sent_at: digestSentAt,
        updated_at: updatedAt,
      };
      await db
        .insertInto('alert_settings')
        .values(row)
        .onConflict((oc) =>
          oc.column('tenant_id').doUpdateSet({
            settings: row.settings,
            digest: row.digest,
            digest_sent_at: row.digest_sent_at,
            updated_at: row.updated_at,
          }),
        )
        .execute();
    },
    async digestTenants() {
      const rows = await db.selectFrom('alert_settings').selectAll().where('digest', '!=', 'off').execute();
      return rows.map(settingsOf);
    },
    async markDigestSent(tenantId, seen, at) {
      const r = await db
        .updateTable('alert_settings')
        .set({ digest_sent_at: at })
        .where('tenant_id', '=', tenantId)
        .where((eb) => (seen === null ? eb('digest_sent_at', 'is', null) : eb('digest_sent_at', '=', seen)))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async states(domainId) {
      const rows = await db
        .selectFrom('alert_states')
        .selectAll()
        .where('domain_id', '=', domainId)
        .execute();
      return rows.map(stateOf);
    },
    async open(s) {
      // Insert, or re-open a cleared row; an open row is left alone (and the call reports it opened nothing).
      const r = await db
        .insertInto('alert_states')
        .values({
          domain_id: s.domainId,
          kind: s.kind,
          subject: s.subject,
          tenant_id: s.tenantId,
          opened_at: s.openedAt,
          last_seen_at: s.lastSeenAt,
          cleared_at: null,
        })
        .onConflict((oc) =>
          oc
            .columns(['domain_id', 'kind', 'subject'])
            .doUpdateSet({ opened_at: s.openedAt, last_seen_at: s.lastSeenAt, cleared_at: null })
            .where('alert_states.cleared_at', 'is not', null),
        )
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async touch(domainId, kind, subject, at) {
      await db
        .updateTable('alert_states')
        .set({ last_seen_at: at })
        .where('domain_id', '=', domainId)
        .where('kind', '=', kind)
        .where('subject', '=', subject)
        .execute();
    },
    async clear(domainId, kind, subject, at) {
      const r = await db
        .updateTable('alert_states')
        .set({ cleared_at: at })
        .where('domain_id', '=', domainId)
        .where('kind', '=', kind)
        .where('subject', '=', subject)
        .where('cleared_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async domains() {
      const rows = await db.selectFrom('domains').select(['id', 'tenant_id', 'name']).orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, name: r.name }));
    },
  };
}

/**
 * The facts alerts judge, from the reports that count as evidence only (verified reporters, and legacy ones during
 * the transition), as the DMARC autopilot's: the roll-ups add up every report, forged ones too, so the day, reporter
 * and selector figures are summed from each counted report's own roll-up (reports.rollup) and the sources from its
 * records. The source totals come from the report statistics (services.ts).
 */
export function alertFactQueries(db: Kysely<Database>, dialect: Dialect): Omit<AlertFacts, 'sources'> {
  const countedReports = (domainId: string, from: string, to: string, verified: VerifiedOnly) =>
    db
      .selectFrom('reports as r')
      .select(['r.day', 'r.reporter', 'r.verified_domain', 'r.rollup'])
      .where('r.domain_id', '=', domainId)
      .where('r.status', '=', 'complete')
      .where('r.day', '>=', from)
      .where('r.day', '<=', to)
      .where(countsAsEvidenceWhere('r', verified.legacyAfter))
      .orderBy('r.day')
      .execute();
  const rollupOf = (r: { rollup: string | null }): StoredRollup | null =>
    r.rollup === null ? null : (JSON.parse(r.rollup) as StoredRollup);
  return {
    async daily(domainId, from, to, verified) {
      const byDay = new Map<string, DailyFigures>();
      for (const r of await countedReports(domainId, from, to, verified)) {
        const d = rollupOf(r)?.daily ?? {};
        const had = byDay.get(r.day) ?? { day: r.day, ...NO_FIGURES };
        byDay.set(r.day, {
          day: r.day,
          reports: had.reports + n(d['reports']),
          messages: had.messages + n(d['messages']),
          dmarcPass: had.dmarcPass + n(d['dmarc_pass']),
          dkimAligned: had.dkimAligned + n(d['dkim_aligned']),
          spfAligned: had.spfAligned + n(d['spf_aligned']),
          dispositionNone: had.dispositionNone + n(d['disposition_none']),
          dispositionQuarantine: had.dispositionQuarantine + n(d['disposition_quarantine']),
          dispositionReject: had.dispositionReject + n(d['disposition_reject']),
          tlsSuccessful: had.tlsSuccessful + n(d['tls_successful']),
          tlsFailed: had.tlsFailed + n(d['tls_failed']),
          failureReports: 0,
        });
      }
      return [...byDay.values()];
    },
    async sourceDays(domainId, from, to, verified) {
      const rows = await db
        .selectFrom('report_records as x')
        .innerJoin('reports as r', 'r.id', 'x.report_id')
        .select((eb) => [
          'x.day',
          'x.source_ip',
          eb.fn.sum<number>('x.count').as('messages'),
          sql<number>`sum(x.count * x.dmarc_pass)`.as('dmarc_pass'),
          sql<number>`sum(x.count * x.dkim_aligned)`.as('dkim_aligned'),
          sql<number>`sum(x.count * x.spf_aligned)`.as('spf_aligned'),
        ])
        .where('x.domain_id', '=', domainId)
        .where('x.day', '>=', from)
        .where('x.day', '<=', to)
        .where('r.status', '=', 'complete')
        .where(countsAsEvidenceWhere('r', verified.legacyAfter))
        .groupBy(['x.day', 'x.source_ip'])
        .orderBy('x.day')
        .orderBy('x.source_ip')
        .execute();
      return rows.map((r) => ({
        day: r.day,
        sourceIp: r.source_ip,
        messages: n(r.messages),
        dmarcPass: n(r.dmarc_pass),
        dkimAligned: n(r.dkim_aligned),
        spfAligned: n(r.spf_aligned),
      }));
    },
    async reporterDays(domainId, from, to, verified) {
      // Counted by the identity verification proved, never by the name a report gives itself (reporter-trust.ts).
      const seen = new Set<string>();
      const out: Array<{ reporter: string; day: string }> = [];
      for (const r of await countedReports(domainId, from, to, verified)) {
        const reporter = r.verified_domain ?? r.reporter;
        const key = `${reporter}\u0000${r.day}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ reporter, day: r.day });
      }
      return out;
    },
    async selectorDays(domainId, from, to, verified) {
      const byKey = new Map<string, SelectorDayFigures>();
      for (const r of await countedReports(domainId, from, to, verified)) {
        for (const sel of rollupOf(r)?.selectors ?? []) {
          const key = `${r.day}\u0000${sel.signingDomain}\u0000${sel.selector}`;
          const had = byKey.get(key);
          byKey.set(key, {
            day: r.day,
            signingDomain: sel.signingDomain,
            selector: sel.selector,
            messages: (had?.messages ?? 0) + sel.messages,
            pass: (had?.pass ?? 0) + sel.pass,
            fail: (had?.fail ?? 0) + sel.fail,
          });
        }
      }
      return [...byKey.values()];
    },
    async delivered(domainId, from, to) {
      // The recipient's domain: after the last "@" would be exact, the first is right for every address the
      // gateway accepts (a quoted local part with "@" is refused at RCPT).
      const recipientDomain =
        dialect === 'postgres'
          ? sql<string>`lower(split_part(a.recipient, '@', 2))`
          : sql<string>`lower(substr(a.recipient, instr(a.recipient, '@') + 1))`;
      const day = sql<string>`substr(a.at, 1, 10)`;
      const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
      const rows = await db
        .selectFrom('gateway_attempts as a')
        .innerJoin('gateway_messages as m', 'm.id', 'a.message_id')
        .select((eb) => [
          day.as('day'),
          recipientDomain.as('recipient_domain'),
          'a.host as host',
          eb.fn.count<number>('a.message_id').distinct().as('messages'),
        ])
        .where('m.domain_id', '=', domainId)
        .where('a.status', '=', 'delivered')
        .where('a.at', '>=', `${from}T00:00:00.000Z`)
        .where('a.at', '<', end)
        .groupBy([day, recipientDomain, 'a.host'])
        .execute();
      return rows.map((r) => ({
        day: r.day,
        recipientDomain: r.recipient_domain,
        host: r.host === '' ? null : r.host,
        messages: n(r.messages),
      }));
    },
    async seen(domainId, domain, from, to, sourceIps, verified) {
      if (sourceIps.length === 0) return [];
      const rows = await db
        .selectFrom('report_records as r')
        .innerJoin('reports as p', 'p.id', 'r.report_id')
        .select([
          'r.day',
          'p.reporter',
          'r.source_ip',
          'r.count',
          'r.dmarc_pass',
          'r.dkim_results',
          'r.spf_results',
        ])
        .where('r.domain_id', '=', domainId)
        .where('p.status', '=', 'complete')
        .where(countsAsEvidenceWhere('p', verified.legacyAfter))
        .where('r.day', '>=', from)
        .where('r.day', '<=', to)
        .where('r.source_ip', 'in', [...sourceIps])
        .where(sql<string>`lower(r.header_from)`, '=', domain)
        .execute();
      return rows.map((r) => ({
        day: r.day,
        reporter: r.reporter,
        sourceIp: r.source_ip,
        messages: n(r.count),
        dmarcPass: n(r.dmarc_pass) === 1 ? n(r.count) : 0,
        dkimResults: r.dkim_results === null ? [] : (JSON.parse(r.dkim_results) as DkimAuthResult[]),
        spfResults: r.spf_results === null ? [] : (JSON.parse(r.spf_results) as SpfAuthResult[]),
      }));
    },
  };
}
