import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import {
  NO_FIGURES,
  type DailyFigures,
  type FailureReport,
  type IntakePath,
  type QuarantineRow,
  type RefusalReason,
  type ReportKind,
  type ReporterTrust,
  type ReportStatsRepository,
} from '../reports/index.ts';
import { VERIFIED_TRUSTS } from '../reports/index.ts';
import type { Database } from './database.ts';
import type { ReportQuarantineTable } from './reports-tables.ts';
import { sourceAuthResults } from './source-auth-query.ts';

const n = (v: unknown): number => Number(v ?? 0);

/** The day after `day` (YYYY-MM-DD): an arrival window ends before its first instant. */
const dayAfter = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const toQuarantine = (r: Omit<Selectable<ReportQuarantineTable>, 'raw_gzip'>): QuarantineRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  domainId: r.domain_id,
  receivedAt: r.received_at,
  via: r.via as IntakePath,
  reason: r.reason as RefusalReason,
  message: r.message,
  path: r.path,
  reporter: r.reporter,
  externalId: r.external_id,
  policyDomain: r.policy_domain,
  rawBytes: n(r.raw_bytes),
  rawKept: n(r.raw_kept),
  rawSha256: r.raw_sha256,
});

const QUARANTINE_COLUMNS = [
  'id',
  'tenant_id',
  'domain_id',
  'received_at',
  'via',
  'reason',
  'message',
  'path',
  'reporter',
  'external_id',
  'policy_domain',
  'raw_bytes',
  'raw_kept',
  'raw_sha256',
] as const;

/** One source's sums as the database returns them (numbers, or text from PostgreSQL's bigint sums; see `n`). */
interface SourceAggregateRow {
  readonly source_ip: string;
  readonly messages: unknown;
  readonly dmarc_pass: unknown;
  readonly dkim_aligned: unknown;
  readonly spf_aligned: unknown;
  readonly disposition_quarantine: unknown;
  readonly disposition_reject: unknown;
  readonly auth_unaligned: unknown;
  readonly days: unknown;
}

/**
 * The reports that count as evidence, on the `reports` table under `alias`: verified reporters, and legacy ones
 * stored after `legacyAfter` during the transition (countsAsEvidence in src/reports/reporter-trust.ts).
 */
export function countsAsEvidenceWhere(alias: string, legacyAfter: string): RawBuilder<SqlBool> {
  const trust = sql.ref(`${alias}.trust`);
  return sql<SqlBool>`(${trust} in (${sql.join([...VERIFIED_TRUSTS])}) or (${trust} = 'legacy' and ${sql.ref(`${alias}.trust_at`)} > ${legacyAfter}))`;
}

/** Every read goes through the roll-ups' primary keys (domain_id, day, ...): one index range per window. */
export function reportStatsRepository(db: Kysely<Database>): ReportStatsRepository {
  const rolledUpSources = (domainId: string, from: string, to: string, limit: number) =>
    db
      .selectFrom('report_daily_sources')
      .select((eb) => [
        'source_ip',
        eb.fn.sum<number>('messages').as('messages'),
        eb.fn.sum<number>('dmarc_pass').as('dmarc_pass'),
        eb.fn.sum<number>('dkim_aligned').as('dkim_aligned'),
        eb.fn.sum<number>('spf_aligned').as('spf_aligned'),
        eb.fn.sum<number>('disposition_quarantine').as('disposition_quarantine'),
        eb.fn.sum<number>('disposition_reject').as('disposition_reject'),
        eb.fn.sum<number>('auth_unaligned').as('auth_unaligned'),
        eb.fn.countAll<number>().as('days'),
      ])
      .where('domain_id', '=', domainId)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .groupBy('source_ip')
      .orderBy('messages', 'desc')
      .orderBy('source_ip')
      .limit(limit)
      .execute();
  /**
   * The same figures from the records of verified reports: a join over the window's records rather than the
   * roll-ups (which add up every report), so it costs a read of the window's records.
   */
  const verifiedSources = (domainId: string, from: string, to: string, limit: number, legacyAfter: string) =>
    db
      .selectFrom('report_records as x')
      .innerJoin('reports as r', 'r.id', 'x.report_id')
      .select((eb) => [
        'x.source_ip',
        eb.fn.sum<number>('x.count').as('messages'),
        sql<number>`sum(x.count * x.dmarc_pass)`.as('dmarc_pass'),
        sql<number>`sum(x.count * x.dkim_aligned)`.as('dkim_aligned'),
        sql<number>`sum(x.count * x.spf_aligned)`.as('spf_aligned'),
        sql<number>`sum(case when x.disposition = 'quarantine' then x.count else 0 end)`.as(
          'disposition_quarantine',
        ),
        sql<number>`sum(case when x.disposition = 'reject' then x.count else 0 end)`.as('disposition_reject'),
        sql<number>`sum(x.count * x.auth_unaligned)`.as('auth_unaligned'),
        sql<number>`count(distinct x.day)`.as('days'),
      ])
      .where('x.domain_id', '=', domainId)
      .where('x.day', '>=', from)
      .where('x.day', '<=', to)
      .where('r.status', '=', 'complete')
      .where(countsAsEvidenceWhere('r', legacyAfter))
      .groupBy('x.source_ip')
      .orderBy('messages', 'desc')
      .orderBy('x.source_ip')
      .limit(limit)
      .execute();
  const withNames = async (rows: ReadonlyArray<SourceAggregateRow>) => {
    const ips = rows.map((r) => r.source_ip);
    const names =
      ips.length === 0
        ? []
        : await db.selectFrom('report_ip_names').selectAll().where('ip', 'in', ips).execute();
    const byIp = new Map(names.map((x) => [x.ip, x]));
    return rows.map((r) => ({
      sourceIp: r.source_ip,
      messages: n(r.messages),
      dmarcPass: n(r.dmarc_pass),
      dkimAligned: n(r.dkim_aligned),
      spfAligned: n(r.spf_aligned),
      dispositionQuarantine: n(r.disposition_quarantine),
      dispositionReject: n(r.disposition_reject),
      authUnaligned: n(r.auth_unaligned),
      days: n(r.days),
      ptr: byIp.get(r.source_ip)?.ptr ?? null,
      ptrVerified: byIp.get(r.source_ip)?.verified === 1,
    }));
  };

  return {
    async daily(domainId, from, to, basis = 'cover') {
      if (basis === 'arrival') return arrivalDaily(db, domainId, from, to);
      const rows = await db
        .selectFrom('report_daily')
        .selectAll()
        .where('domain_id', '=', domainId)
        .where('day', '>=', from)
        .where('day', '<=', to)
        .orderBy('day')
        .execute();
      return rows.map((r) => ({
        day: r.day,
        reports: n(r.reports),
        messages: n(r.messages),
        dmarcPass: n(r.dmarc_pass),
        dkimAligned: n(r.dkim_aligned),
        spfAligned: n(r.spf_aligned),
        dispositionNone: n(r.disposition_none),
        dispositionQuarantine: n(r.disposition_quarantine),
        dispositionReject: n(r.disposition_reject),
        tlsSuccessful: n(r.tls_successful),
        tlsFailed: n(r.tls_failed),
        failureReports: n(r.failure_reports),
      }));
    },
    async sources(domainId, from, to, limit, basis = 'cover', verified) {
      // Verified-only figures come from the records of verified reports, by the days they cover.
      const rows = await (verified !== undefined
        ? verifiedSources(domainId, from, to, limit, verified.legacyAfter)
        : basis === 'arrival'
          ? arrivalSources(db, domainId, from, to, limit)
          : rolledUpSources(domainId, from, to, limit));
      return withNames(rows);
    },
    async reporterTrust(scope, from, to) {
      let q = db
        .selectFrom('reports')
        .select((eb) => [
          'reporter',
          'trust',
          'verified_domain',
          eb.fn.countAll<number>().as('reports'),
          eb.fn.sum<number>('message_count').as('messages'),
          eb.fn.max<string | null>('trust_reason').as('reason'),
          eb.fn.max<string | null>('trust_at').as('trust_at'),
        ])
        .where('status', '=', 'complete')
        .where('day', '>=', from)
        .where('day', '<=', to);
      if (scope.tenantId !== null) q = q.where('tenant_id', '=', scope.tenantId);
      if (scope.domainId !== null) q = q.where('domain_id', '=', scope.domainId);
      const rows = await q
        .groupBy(['reporter', 'trust', 'verified_domain'])
        .orderBy('reporter')
        .orderBy('trust')
        .execute();
      return rows.map((r) => ({
        reporter: r.reporter,
        trust: r.trust as ReporterTrust,
        verifiedDomain: r.verified_domain,
        reports: n(r.reports),
        messages: n(r.messages),
        reason: r.reason,
        trustAt: r.trust_at,
      }));
    },
    async sourceTotals(domainId, from, to, basis = 'cover') {
      const row =
        basis === 'arrival'
          ? (
              await sql<{ sources: unknown; messages: unknown }>`
                select count(distinct x.source_ip) as sources, sum(x.count) as messages
                from report_records x join reports r on r.id = x.report_id
                where ${arrivedWithin(domainId, from, to)}`.execute(db)
            ).rows[0]
          : await db
              .selectFrom('report_daily_sources')
              .select((eb) => [
                sql<number>`count(distinct source_ip)`.as('sources'),
                eb.fn.sum<number>('messages').as('messages'),
              ])
              .where('domain_id', '=', domainId)
              .where('day', '>=', from)
              .where('day', '<=', to)
              .executeTakeFirst();
      return { sources: n(row?.sources), messages: n(row?.messages) };
    },
    async firstDay(domainId, basis) {
      if (basis === 'arrival') {
        const row = await db
          .selectFrom('reports')
          .select((eb) => eb.fn.min<string>('received_at').as('first'))
          .where('domain_id', '=', domainId)
          .where('status', '=', 'complete')
          .executeTakeFirst();
        return row?.first == null ? null : row.first.slice(0, 10);
      }
      const row = await db
        .selectFrom('report_daily')
        .select((eb) => eb.fn.min<string>('day').as('first'))
        .where('domain_id', '=', domainId)
        .executeTakeFirst();
      return row?.first ?? null;
    },
    async sourceDays(domainId, from, to) {
      const rows = await db
        .selectFrom('report_daily_sources')
        .select(['day', 'source_ip', 'messages', 'dmarc_pass', 'dkim_aligned', 'spf_aligned'])
        .where('domain_id', '=', domainId)
        .where('day', '>=', from)
        .where('day', '<=', to)
        .orderBy('day')
        .orderBy('source_ip')
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
    sourceAuth: (domainId, from, to, ips, basis) => sourceAuthResults(db, domainId, from, to, ips, basis),
    async selectors(domainId, from, to) {
      const rows = await db
        .selectFrom('report_daily_selectors')
        .select((eb) => [
          'signing_domain',
          'selector',
          eb.fn.sum<number>('messages').as('messages'),
          eb.fn.sum<number>('pass').as('pass'),
          eb.fn.sum<number>('fail').as('fail'),
          eb.fn.min<string>('day').as('first_day'),
          eb.fn.max<string>('day').as('last_day'),
        ])
        .where('domain_id', '=', domainId)
        .where('day', '>=', from)
        .where('day', '<=', to)
        .groupBy(['signing_domain', 'selector'])
        .orderBy('messages', 'desc')
        .execute();
      return rows.map((r) => ({
        signingDomain: r.signing_domain,
        selector: r.selector,
        messages: n(r.messages),
        pass: n(r.pass),
        fail: n(r.fail),
        firstDay: r.first_day,
        lastDay: r.last_day,
      }));
    },
    async reporters(scope, from, to) {
      let q = db
        .selectFrom('report_daily_reporters')
        .select((eb) => [
          'reporter',
          eb.fn.sum<number>('reports').as('reports'),
          eb.fn.sum<number>('messages').as('messages'),
          eb.fn.sum<number>('dmarc_pass').as('dmarc_pass'),
          eb.fn.sum<number>('duplicates').as('duplicates'),
          eb.fn.sum<number>('malformed').as('malformed'),
          eb.fn.sum<number>('late').as('late'),
          sql<string | null>`min(case when reports > 0 then day end)`.as('first_day'),
          sql<string | null>`max(case when reports > 0 then day end)`.as('last_day'),
        ])
        .where('day', '>=', from)
        .where('day', '<=', to);
      if (scope.tenantId !== null) q = q.where('tenant_id', '=', scope.tenantId);
      if (scope.domainId !== null) q = q.where('domain_id', '=', scope.domainId);
      const rows = await q.groupBy('reporter').orderBy('reporter').execute();
      return rows.map((r) => ({
        reporter: r.reporter,
        reports: n(r.reports),
        messages: n(r.messages),
        dmarcPass: n(r.dmarc_pass),
        duplicates: n(r.duplicates),
        malformed: n(r.malformed),
        late: n(r.late),
        firstDay: r.first_day,
        lastDay: r.last_day,
      }));
    },
    async reports(domainId, from, to, limit, basis = 'cover') {
      const q = db
        .selectFrom('reports')
        .selectAll()
        .where('domain_id', '=', domainId)
        .where('status', '=', 'complete');
      const rows = await (
        basis === 'arrival'
          ? q
              .where('received_at', '>=', from)
              .where('received_at', '<', dayAfter(to))
              .orderBy('received_at', 'desc')
          : q
              .where('day', '>=', from)
              .where('day', '<=', to)
              .orderBy('day', 'desc')
              .orderBy('received_at', 'desc')
      )
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind as ReportKind,
        reporter: r.reporter,
        orgName: r.org_name,
        externalId: r.external_id,
        policyDomain: r.policy_domain,
        begin: r.date_begin,
        end: r.date_end,
        day: r.day,
        receivedAt: r.received_at,
        via: r.via as IntakePath,
        records: n(r.record_count),
        messages: n(r.message_count),
        trust: r.trust as ReporterTrust,
        trustReason: r.trust_reason,
        verifiedDomain: r.verified_domain,
      }));
    },
    async reportCount(domainId, from, to, basis = 'cover') {
      const q = db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('domain_id', '=', domainId)
        .where('status', '=', 'complete');
      const row = await (
        basis === 'arrival'
          ? q.where('received_at', '>=', from).where('received_at', '<', dayAfter(to))
          : q.where('day', '>=', from).where('day', '<=', to)
      ).executeTakeFirst();
      return n(row?.count);
    },
    async failureCount(domainId) {
      const row = await db
        .selectFrom('failure_reports')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('domain_id', '=', domainId)
        .executeTakeFirst();
      return n(row?.count);
    },
    async quarantineCount(tenantId) {
      let q = db.selectFrom('report_quarantine').select((eb) => eb.fn.countAll<number>().as('count'));
      if (tenantId !== null) q = q.where('tenant_id', '=', tenantId);
      return n((await q.executeTakeFirst())?.count);
    },
    async failureReports(domainId, limit) {
      const rows = await db
        .selectFrom('failure_reports')
        .select(['id', 'received_at', 'expires_at', 'details'])
        .where('domain_id', '=', domainId)
        .orderBy('received_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        receivedAt: r.received_at,
        expiresAt: r.expires_at,
        report: JSON.parse(r.details) as FailureReport,
      }));
    },
    async quarantine(tenantId, limit) {
      let q = db.selectFrom('report_quarantine').select(QUARANTINE_COLUMNS);
      if (tenantId !== null) q = q.where('tenant_id', '=', tenantId);
      const rows = await q.orderBy('received_at', 'desc').orderBy('id').limit(limit).execute();
      return rows.map(toQuarantine);
    },
    async quarantineEntry(tenantId, id) {
      let q = db.selectFrom('report_quarantine').selectAll().where('id', '=', id);
      if (tenantId !== null) q = q.where('tenant_id', '=', tenantId);
      const row = await q.executeTakeFirst();
      return row === undefined ? null : { ...toQuarantine(row), rawGzip: Buffer.from(row.raw_gzip) };
    },
    async addressesToResolve(staleBefore, limit) {
      const rows = await db
        .selectFrom('report_daily_sources as s')
        .leftJoin('report_ip_names as n', 'n.ip', 's.source_ip')
        .select('s.source_ip')
        .distinct()
        .where((eb) => eb.or([eb('n.ip', 'is', null), eb('n.resolved_at', '<', staleBefore)]))
        .orderBy('s.source_ip')
        .limit(limit)
        .execute();
      return rows.map((r) => r.source_ip);
    },
    async saveReverseName(ip, ptr, verified, at) {
      await db
        .insertInto('report_ip_names')
        .values({ ip, ptr, verified: verified ? 1 : 0, resolved_at: at })
        .onConflict((oc) => oc.column('ip').doUpdateSet({ ptr, verified: verified ? 1 : 0, resolved_at: at }))
        .execute();
    },
  };
}

/** The complete reports of a domain stored within the whole UTC days `from`..`to` (`r` is `reports`). */
function arrivedWithin(domainId: string, from: string, to: string): RawBuilder<unknown> {
  return sql`r.domain_id = ${domainId} and r.status = 'complete' and r.received_at >= ${from} and r.received_at < ${dayAfter(to)}`;
}

/** The UTC day a report was stored. Written out (no parameters) so PostgreSQL sees one expression in select and group. */
const ARRIVAL_DAY = sql<string>`substr(r.received_at, 1, 10)`;

/**
 * Daily figures by the day reports arrived, from the raw facts (the roll-ups are kept by the day reports cover):
 * report counts and TLS sessions from `reports`, message figures from `report_records`, failure reports by
 * their own arrival.
 */
async function arrivalDaily(
  db: Kysely<Database>,
  domainId: string,
  from: string,
  to: string,
): Promise<DailyFigures[]> {
  const byDay = new Map<string, Record<keyof Omit<DailyFigures, 'day'>, number>>();
  const dayOf = (day: string) => {
    let d = byDay.get(day);
    if (d === undefined) {
      d = { ...NO_FIGURES };
      byDay.set(day, d);
    }
    return d;
  };
  const reports = await sql<{ day: string; reports: unknown }>`
    select ${ARRIVAL_DAY} as day, count(*) as reports from reports r
    where ${arrivedWithin(domainId, from, to)} group by ${ARRIVAL_DAY}`.execute(db);
  for (const r of reports.rows) dayOf(r.day).reports = n(r.reports);
  const records = await sql<Record<string, unknown> & { day: string }>`
    select ${ARRIVAL_DAY} as day, sum(x.count) as messages, sum(x.count * x.dmarc_pass) as dmarc_pass,
      sum(x.count * x.dkim_aligned) as dkim_aligned, sum(x.count * x.spf_aligned) as spf_aligned,
      sum(case when x.disposition = 'quarantine' then x.count else 0 end) as disposition_quarantine,
      sum(case when x.disposition = 'reject' then x.count else 0 end) as disposition_reject,
      sum(case when x.disposition in ('quarantine', 'reject') then 0 else x.count end) as disposition_none
    from report_records x join reports r on r.id = x.report_id
    where ${arrivedWithin(domainId, from, to)} group by ${ARRIVAL_DAY}`.execute(db);
  for (const r of records.rows) {
    const d = dayOf(r.day);
    d.messages = n(r.messages);
    d.dmarcPass = n(r.dmarc_pass);
    d.dkimAligned = n(r.dkim_aligned);
    d.spfAligned = n(r.spf_aligned);
    d.dispositionNone = n(r.disposition_none);
    d.dispositionQuarantine = n(r.disposition_quarantine);
    d.dispositionReject = n(r.disposition_reject);
  }
  // TLS-RPT figures live in the report's details (RFC 8460 §4.4 summary per policy); there is one per reporter a day.
  const tls = await sql<{ day: string; details: string | null }>`
    select ${ARRIVAL_DAY} as day, r.details from reports r
    where ${arrivedWithin(domainId, from, to)} and r.kind = 'tls'`.execute(db);
  for (const r of tls.rows) {
    const policies = (JSON.parse(r.details ?? '{}') as { policies?: TlsPolicyFigures[] }).policies ?? [];
    const d = dayOf(r.day);
    for (const p of policies) {
      d.tlsSuccessful += n(p.successfulSessions);
      d.tlsFailed += n(p.failedSessions);
    }
  }
  const failures = await db
    .selectFrom('failure_reports')
    .select((eb) => [sql<string>`substr(received_at, 1, 10)`.as('day'), eb.fn.countAll<number>().as('count')])
    .where('domain_id', '=', domainId)
    .where('received_at', '>=', from)
    .where('received_at', '<', dayAfter(to))
    .groupBy(sql`substr(received_at, 1, 10)`)
    .execute();
  for (const r of failures) dayOf(r.day).failureReports = n(r.count);
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, d]) => ({ day, ...d }));
}

interface TlsPolicyFigures {
  readonly successfulSessions?: number;
  readonly failedSessions?: number;
}

/** Sources by the day reports arrived: the records of the reports stored in the window, summed per address. */
async function arrivalSources(
  db: Kysely<Database>,
  domainId: string,
  from: string,
  to: string,
  limit: number,
) {
  const result = await sql<{
    source_ip: string;
    messages: unknown;
    dmarc_pass: unknown;
    dkim_aligned: unknown;
    spf_aligned: unknown;
    disposition_quarantine: unknown;
    disposition_reject: unknown;
    auth_unaligned: unknown;
    days: unknown;
  }>`
    select x.source_ip, sum(x.count) as messages, sum(x.count * x.dmarc_pass) as dmarc_pass,
      sum(x.count * x.dkim_aligned) as dkim_aligned, sum(x.count * x.spf_aligned) as spf_aligned,
      sum(case when x.disposition = 'quarantine' then x.count else 0 end) as disposition_quarantine,
      sum(case when x.disposition = 'reject' then x.count else 0 end) as disposition_reject,
      sum(x.count * x.auth_unaligned) as auth_unaligned, count(distinct ${ARRIVAL_DAY}) as days
    from report_records x join reports r on r.id = x.report_id
    where ${arrivedWithin(domainId, from, to)}
    group by x.source_ip order by messages desc, x.source_ip limit ${limit}`.execute(db);
  return result.rows;
}
