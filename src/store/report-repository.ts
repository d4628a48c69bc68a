import { CompiledQuery, sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type {
  AggregateRecord,
  DomainRef,
  NewReport,
  ReportRepository,
  ReportTotals,
  SelectorFigures,
} from '../reports/index.ts';
import type { Database, Dialect } from './database.ts';
import type { DomainsTable } from './foundation-tables.ts';

const toDomainRef = (
  r: Pick<Selectable<DomainsTable>, 'id' | 'tenant_id' | 'name' | 'token' | 'verified_at'>,
): DomainRef => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  token: r.token,
  verified: r.verified_at !== null,
});

/** Rows per multi-row INSERT: 500 × 15 columns stays far below SQLite's and PostgreSQL's parameter limits. */
const BATCH = 500;

/**
 * `insert ... on conflict (keys) do update set n = n + excluded.n` for the roll-ups: adding a report's figures to
 * a day is commutative, so reports can complete in any order, on any node.
 */
export function addTo(
  table: string,
  keys: Record<string, string>,
  fixed: Record<string, string>,
  figures: Record<string, number>,
): RawBuilder<unknown> {
  const columns = [...Object.keys(keys), ...Object.keys(fixed), ...Object.keys(figures)];
  const values = [...Object.values(keys), ...Object.values(fixed), ...Object.values(figures)];
  const updates = Object.keys(figures).map(
    (c) => sql`${sql.ref(c)} = ${sql.table(table)}.${sql.ref(c)} + excluded.${sql.ref(c)}`,
  );
  return sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values (${sql.join(values)})
    on conflict (${sql.join(Object.keys(keys).map((c) => sql.ref(c)))}) do update set ${sql.join(updates)}`;
}

/** The dedup key a report holds while it loads: its own, so only a committed report has the real one. */
const stagingKey = (id: string) => `loading:${id}`;

const DOMAIN_COLUMNS = ['id', 'tenant_id', 'name', 'token', 'verified_at'] as const;

const RECORD_COLUMNS = [
  'report_id',
  'domain_id',
  'day',
  'source_ip',
  'count',
  'disposition',
  'dmarc_pass',
  'dkim_aligned',
  'spf_aligned',
  'header_from',
  'envelope_from',
  'envelope_to',
  'reasons',
  'dkim_results',
  'spf_results',
  'auth_unaligned',
];
const recordInserts = new Map<string, string>();

/** `insert into report_records (...) values (...), ...` for `rows` rows, in the dialect's placeholders. */
function recordInsert(rows: number, dialect: Dialect): string {
  const key = `${dialect}:${rows}`;
  let text = recordInserts.get(key);
  if (text === undefined) {
    const width = RECORD_COLUMNS.length;
    const tuples = Array.from({ length: rows }, (_, r) => {
      const marks = Array.from({ length: width }, (_, c) =>
        dialect === 'postgres' ? `$${r * width + c + 1}` : '?',
      );
      return `(${marks.join(', ')})`;
    });
    text = `insert into report_records (${RECORD_COLUMNS.join(', ')}) values ${tuples.join(', ')}`;
    recordInserts.set(key, text);
  }
  return text;
}

export function reportRepository(db: Kysely<Database>, dialect: Dialect): ReportRepository {
  const existing = async (r: NewReport, trx: Kysely<Database> = db) =>
    trx
      .selectFrom('reports')
      .select(['id', 'trust', 'rollup', 'day', 'reporter', 'tenant_id'])
      .where('domain_id', '=', r.domainId)
      .where('kind', '=', r.kind)
      .where('dedup_key', '=', r.dedupKey)
      .executeTakeFirst();
  const removeStaged = async (id: string) => {
    await db.deleteFrom('report_records').where('report_id', '=', id).execute();
    await db.deleteFrom('reports').where('id', '=', id).where('status', '=', 'loading').execute();
  };

  return {
    async domainByToken(token) {
      const row = await db
        .selectFrom('domains')
        .select(DOMAIN_COLUMNS)
        .where('token', '=', token)
        .executeTakeFirst();
      return row === undefined ? null : toDomainRef(row);
    },
    async domainsNamed(name) {
      const rows = await db
        .selectFrom('domains')
        .select(DOMAIN_COLUMNS)
        .where('name', '=', name)
        .orderBy('id')
        .execute();
      return rows.map(toDomainRef);
    },
    async beginReport(r) {
      // Only a committed report carries its dedup key; a load in progress or one a dead process left behind
      // holds a key of its own, so it neither blocks a re-run nor counts as the report.
      const before = await existing(r);
      if (before !== undefined && before.trust !== 'unverified')
        return { started: false, existingId: before.id };
      await db
        .insertInto('reports')
        .values({
          id: r.id,
          tenant_id: r.tenantId,
          domain_id: r.domainId,
          kind: r.kind,
          status: 'loading',
          reporter: r.reporter,
          org_name: r.orgName,
          reporter_email: r.reporterEmail,
          external_id: r.externalId,
          policy_domain: r.policyDomain,
          date_begin: r.begin,
          date_end: r.end,
          day: r.day,
          received_at: r.receivedAt,
          via: r.via,
          schema_name: r.schema,
          policy: r.policy === null ? null : JSON.stringify(r.policy),
          details: null,
          record_count: 0,
          message_count: 0,
          dedup_key: stagingKey(r.id),
        })
        .execute();
      return { started: true };
    },
    async addRecords(r, records) {
      // Records arrive by the million: one cached statement text per batch size and a flat parameter list,
      // rather than a query tree of a thousand nodes per batch.
      for (let i = 0; i < records.length; i += BATCH) {
        const batch = records.slice(i, i + BATCH);
        const params: unknown[] = [];
        for (const x of batch) {
          params.push(
            r.id,
            r.domainId,
            r.day,
            x.sourceIp,
            x.count,
            x.disposition,
            x.dkim === 'pass' || x.spf === 'pass' ? 1 : 0,
            x.dkim === 'pass' ? 1 : 0,
            x.spf === 'pass' ? 1 : 0,
            x.headerFrom,
            x.envelopeFrom,
            x.envelopeTo,
            x.reasons.length === 0 ? null : JSON.stringify(x.reasons),
            x.dkimResults.length === 0 ? null : JSON.stringify(x.dkimResults),
            x.spfResults.length === 0 ? null : JSON.stringify(x.spfResults),
            authenticatedUnaligned(x) ? 1 : 0,
          );
        }
        await db.executeQuery(CompiledQuery.raw(recordInsert(batch.length, dialect), params));
      }
    },
    async completeReport(r, t, verdict) {
      const rollup: StoredRollup = {
        daily: dailyFigures(t),
        reporter: reporterFigures(t),
        selectors: t.selectors,
      };
      let replaced: string | null = null;
      try {
        await db.transaction().execute(async (trx) => {
          // A stored unverified report with the same key gives way to a verified one: taken out first, roll-ups
          // and all, in this same transaction. Otherwise it stays, and claiming the key below fails.
          const before = await existing(r, trx);
          if (
            before !== undefined &&
            before.trust === 'unverified' &&
            verdict.trust !== 'unverified' &&
            before.rollup !== null
          ) {
            await takeOut(trx, r, before);
            replaced = before.id;
          }
          // Claiming the dedup key comes first: the same report completed by another load (SMTP and an upload at
          // once, or a second import) violates the unique key, and this transaction adds nothing.
          const claimed = await trx
            .updateTable('reports')
            .set({
              status: 'complete',
              dedup_key: r.dedupKey,
              record_count: t.records,
              message_count: t.messages,
              details: JSON.stringify(t.details),
              trust: verdict.trust,
              trust_reason: verdict.reason,
              verified_domain: verdict.verifiedDomain,
              trust_at: verdict.at,
              rollup: JSON.stringify(rollup),
            })
            .where('id', '=', r.id)
            .where('status', '=', 'loading')
            .executeTakeFirst();
          if (Number(claimed.numUpdatedRows) !== 1) throw new Error(`report ${r.id} is no longer loading`);
          if (r.kind === 'aggregate' && t.records > 0) await rollUpSources(trx, r);
          const day = { domain_id: r.domainId, day: r.day };
          await addTo('report_daily', day, { tenant_id: r.tenantId }, dailyFigures(t)).execute(trx);
          await addTo(
            'report_daily_reporters',
            { ...day, reporter: r.reporter },
            { tenant_id: r.tenantId },
            rollup.reporter,
          ).execute(trx);
          for (const s of t.selectors) {
            await addTo(
              'report_daily_selectors',
              { ...day, signing_domain: s.signingDomain, selector: s.selector },
              { tenant_id: r.tenantId },
              { messages: s.messages, pass: s.pass, fail: s.fail },
            ).execute(trx);
          }
        });
        return { completed: true, replaced };
      } catch (error) {
        const winner = await existing(r);
        if (winner === undefined) throw error;
        await removeStaged(r.id);
        return { completed: false, existingId: winner.id };
      }
    },
    abandonReport: removeStaged,
    async trustReports(q) {
      if (q.from.length === 0) return 0;
      let update = db
        .updateTable('reports')
        .set({ trust: 'operator', trust_reason: q.reason, trust_at: q.at })
        .where('status', '=', 'complete')
        .where('trust', 'in', [...q.from]);
      if (q.tenantId !== null) update = update.where('tenant_id', '=', q.tenantId);
      if (q.domainId !== null) update = update.where('domain_id', '=', q.domainId);
      if (q.reporter !== null) update = update.where('reporter', '=', q.reporter);
      const result = await update.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async insertFailureReport(f) {
      const existingFailure = () =>
        db
          .selectFrom('failure_reports')
          .select('id')
          .where('domain_id', '=', f.domainId)
          .where('dedup_key', '=', f.dedupKey)
          .executeTakeFirst();
      const before = await existingFailure();
      if (before !== undefined) return { inserted: false, existingId: before.id };
      try {
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('failure_reports')
            .values({
              id: f.id,
              tenant_id: f.tenantId,
              domain_id: f.domainId,
              received_at: f.receivedAt,
              expires_at: f.expiresAt,
              day: f.day,
              via: f.via,
              reporter: f.report.reporter,
              feedback_type: f.report.feedbackType,
              source_ip: f.report.sourceIp,
              details: JSON.stringify(f.report),
              dedup_key: f.dedupKey,
            })
            .execute();
          await addTo(
            'report_daily',
            { domain_id: f.domainId, day: f.day },
            { tenant_id: f.tenantId },
            { failure_reports: 1 },
          ).execute(trx);
        });
        return { inserted: true };
      } catch (error) {
        // The same report stored by another intake at the same moment: the unique key decided.
        const winner = await existingFailure();
        if (winner === undefined) throw error;
        return { inserted: false, existingId: winner.id };
      }
    },
    async countReporterEvent(e) {
      await addTo(
        'report_daily_reporters',
        { domain_id: e.domainId ?? '', day: e.day, reporter: e.reporter },
        { tenant_id: e.tenantId ?? '' },
        e.event === 'duplicate' ? { duplicates: 1 } : { malformed: 1 },
      ).execute(db);
    },
    async insertQuarantine(q) {
      // One entry per distinct input: the same bytes refused for the same reason at the same place (a re-run of an
      // import, a reporter re-sending) point at the first entry.
      const before = await db
        .selectFrom('report_quarantine')
        .select('id')
        .where('raw_sha256', '=', q.rawSha256)
        .where('path', '=', q.path)
        .where('reason', '=', q.reason)
        .where('tenant_id', q.tenantId === null ? 'is' : '=', q.tenantId)
        .executeTakeFirst();
      if (before !== undefined) return { id: before.id, repeated: true };
      await db
        .insertInto('report_quarantine')
        .values({
          id: q.id,
          tenant_id: q.tenantId,
          domain_id: q.domainId,
          received_at: q.receivedAt,
          via: q.via,
          reason: q.reason,
          message: q.message,
          path: q.path,
          reporter: q.reporter,
          external_id: q.externalId,
          policy_domain: q.policyDomain,
          raw_bytes: q.rawBytes,
          raw_sha256: q.rawSha256,
          raw_kept: q.rawKept,
          raw_gzip: q.rawGzip,
        })
        .execute();
      return { id: q.id, repeated: false };
    },
    async removeStaleLoading(before) {
      const stale = await db
        .selectFrom('reports')
        .select('id')
        .where('status', '=', 'loading')
        .where('received_at', '<', before)
        .execute();
      for (const { id } of stale) await removeStaged(id);
      return stale.length;
    },
    async purgeFailureReports(now) {
      const r = await db.deleteFrom('failure_reports').where('expires_at', '<=', now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/** What a report added to the roll-ups, kept with it (column `rollup`) so it can be taken out again. */
/** What a report added to the roll-ups, kept on its row (reports.rollup) to take it out again or re-read it. */
export interface StoredRollup {
  readonly daily: Record<string, number>;
  readonly reporter: Record<string, number>;
  readonly selectors: readonly SelectorFigures[];
}

function reporterFigures(t: ReportTotals): Record<string, number> {
  return { reports: 1, messages: t.messages, dmarc_pass: t.dmarcPass, late: t.late ? 1 : 0 };
}

const negated = (figures: Record<string, number>) =>
  Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, -v]));

/** Removes a stored report, its records and its share of every roll-up (inside the caller's transaction). */
async function takeOut(
  trx: Kysely<Database>,
  r: NewReport,
  old: { id: string; rollup: string | null; day: string; reporter: string; tenant_id: string },
): Promise<void> {
  const rollup = JSON.parse(old.rollup ?? '{}') as StoredRollup;
  const day = { domain_id: r.domainId, day: old.day };
  if (r.kind === 'aggregate') await rollUpSources(trx, { id: old.id, tenantId: old.tenant_id }, -1);
  await addTo('report_daily', day, { tenant_id: old.tenant_id }, negated(rollup.daily)).execute(trx);
  await addTo(
    'report_daily_reporters',
    { ...day, reporter: old.reporter },
    { tenant_id: old.tenant_id },
    negated(rollup.reporter),
  ).execute(trx);
  for (const s of rollup.selectors) {
    await addTo(
      'report_daily_selectors',
      { ...day, signing_domain: s.signingDomain, selector: s.selector },
      { tenant_id: old.tenant_id },
      { messages: -s.messages, pass: -s.pass, fail: -s.fail },
    ).execute(trx);
  }
  await trx.deleteFrom('report_records').where('report_id', '=', old.id).execute();
  await trx.deleteFrom('reports').where('id', '=', old.id).execute();
}

function dailyFigures(t: ReportTotals): Record<string, number> {
  return {
    reports: 1,
    messages: t.messages,
    dmarc_pass: t.dmarcPass,
    dkim_aligned: t.dkimAligned,
    spf_aligned: t.spfAligned,
    disposition_none: t.dispositionNone,
    disposition_quarantine: t.dispositionQuarantine,
    disposition_reject: t.dispositionReject,
    tls_successful: t.tlsSuccessful,
    tls_failed: t.tlsFailed,
  };
}

/**
 * DMARC failed, yet DKIM or SPF passed for some domain (RFC 7489 §7.2.1.1 auth_results carry the raw outcome):
 * a real sender, authenticated as another domain and never set up for this one (shadow IT), unlike spoofing.
 */
function authenticatedUnaligned(x: AggregateRecord): boolean {
  if (x.dkim === 'pass' || x.spf === 'pass') return false;
  return x.dkimResults.some((d) => d.result === 'pass') || x.spfResults.some((r) => r.result === 'pass');
}

/** One report's records, summed per source address, added to the per-day source roll-up inside the database. */
async function rollUpSources(
  db: Kysely<Database>,
  r: Pick<NewReport, 'id' | 'tenantId'>,
  sign: 1 | -1 = 1,
): Promise<void> {
  const figures = [
    'messages',
    'dmarc_pass',
    'dkim_aligned',
    'spf_aligned',
    'disposition_quarantine',
    'disposition_reject',
    'auth_unaligned',
  ];
  await sql`insert into report_daily_sources
      (domain_id, day, source_ip, tenant_id, messages, dmarc_pass, dkim_aligned, spf_aligned,
       disposition_quarantine, disposition_reject, auth_unaligned)
    select domain_id, day, source_ip, cast(${r.tenantId} as text), ${sql.lit(sign)} * sum(count),
       ${sql.lit(sign)} * sum(count * dmarc_pass), ${sql.lit(sign)} * sum(count * dkim_aligned), ${sql.lit(sign)} * sum(count * spf_aligned),
       ${sql.lit(sign)} * sum(case when disposition = 'quarantine' then count else 0 end),
       ${sql.lit(sign)} * sum(case when disposition = 'reject' then count else 0 end),
       ${sql.lit(sign)} * sum(count * auth_unaligned)
    from report_records where report_id = ${r.id}
    group by domain_id, day, source_ip
    on conflict (domain_id, day, source_ip) do update set ${sql.join(
      figures.map((c) => sql`${sql.ref(c)} = report_daily_sources.${sql.ref(c)} + excluded.${sql.ref(c)}`),
    )}`.execute(db);
}
