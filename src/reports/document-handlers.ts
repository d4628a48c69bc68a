/**
 * Parsing and storing each kind of document, once unwrapping has found it: attribution, deduplication, records
 * in batches (so memory stays bounded), roll-ups on completion. A refusal after some records were written removes
 * them again: a report counts whole or not at all.
 */
import { AggregateParser, DEFAULT_AGGREGATE_LIMITS } from './aggregate-parser.ts';
import { attribute, type DomainRef } from './attribution.ts';
import type { ByteSource } from './byte-source.ts';
import type { FailureReport } from './model.ts';
import type { DocumentOutcome } from './outcome.ts';
import type { IntakePath, NewReport, ReportRepository, ReportTotals } from './ports.ts';
import { isRefusal, ReportRefusal } from './refusal.ts';
import type { TrustVerdict } from './reporter-trust.ts';
import { dedupKey, failureDedupKey, isoSeconds, reportDay, reporterKey } from './report-facts.ts';
import { ReportAccumulator } from './report-totals.ts';
import { XmlTextDecoder } from './xml-text-decoder.ts';
import { parseTlsReport, tlsPolicyDomain } from './tls-report-parser.ts';
import type { DocumentHandlers, UnwrapContext } from './unwrap-context.ts';

/**
 * Records are written in batches of about this many (checked after each chunk), one INSERT statement of the SQLite
 * store each. A batch lives across the awaited write, so under senderd's 8 MiB semi-space a larger one survives
 * scavenges into the old generation: with 2,000 the whole intake of a 500 MB report peaked at 385 MiB, with 500 at
 * 200 MiB, at the same speed (docs/reports.md, "Where the memory goes").
 */
const RECORD_BATCH = 500;

export interface HandlerScope {
  readonly repo: ReportRepository;
  readonly via: IntakePath;
  readonly tenantId: string | null;
  readonly tokenDomains: readonly DomainRef[];
  readonly receivedAt: Date;
  readonly newId: () => string;
  readonly maxRecords: number;
  readonly lateAfterHours: number;
  readonly failureRetentionDays: number;
  readonly isPublicSuffix?: (name: string) => boolean;
}

interface Facts {
  readonly kind: NewReport['kind'];
  readonly orgName: string;
  readonly email: string | null;
  readonly reportId: string;
  readonly policyDomain: string | null;
  readonly begin: number;
  readonly end: number;
  readonly schema: string | null;
  readonly policy: NewReport['policy'];
}

type Begun =
  | { readonly started: true; readonly report: NewReport; readonly domain: DomainRef }
  | { readonly started: false; readonly outcome: DocumentOutcome };

async function domainFor(scope: HandlerScope, policyDomain: string | null) {
  const candidates =
    scope.tokenDomains.length === 0 && policyDomain !== null
      ? await scope.repo.domainsNamed(policyDomain)
      : [];
  return attribute({
    policyDomain,
    tokenDomains: scope.tokenDomains,
    tenantId: scope.tenantId,
    candidates,
    ...(scope.isPublicSuffix === undefined ? {} : { isPublicSuffix: scope.isPublicSuffix }),
  });
}

function countDuplicate(scope: HandlerScope, report: NewReport): Promise<void> {
  return scope.repo.countReporterEvent({
    tenantId: report.tenantId,
    domainId: report.domainId,
    day: report.day,
    reporter: report.reporter,
    event: 'duplicate',
  });
}

async function begin(scope: HandlerScope, facts: Facts, path: string): Promise<Begun> {
  const reporter = reporterKey(facts.orgName, facts.email);
  const attribution = await domainFor(scope, facts.policyDomain);
  if (!attribution.ok) {
    const error = new ReportRefusal(attribution.reason, attribution.detail);
    return {
      started: false,
      outcome: {
        status: 'refused',
        reason: error.reason,
        message: error.message,
        path,
        reporter,
        reportId: facts.reportId,
        policyDomain: facts.policyDomain,
        tenantId: attribution.domain?.tenantId ?? null,
        domainId: attribution.domain?.id ?? null,
      },
    };
  }
  const domain = attribution.domain;
  const policyDomain = facts.policyDomain ?? domain.name;
  const report: NewReport = {
    id: scope.newId(),
    kind: facts.kind,
    tenantId: domain.tenantId,
    domainId: domain.id,
    reporter,
    orgName: facts.orgName,
    reporterEmail: facts.email,
    externalId: facts.reportId,
    policyDomain,
    begin: isoSeconds(facts.begin),
    end: isoSeconds(facts.end),
    day: reportDay(facts.begin, facts.end),
    receivedAt: scope.receivedAt.toISOString(),
    via: scope.via,
    schema: facts.schema,
    policy: facts.policy,
    dedupKey: dedupKey(reporter, facts.reportId, policyDomain, facts.begin, facts.end),
  };
  const started = await scope.repo.beginReport(report);
  if (started.started) return { started: true, report, domain };
  await countDuplicate(scope, report);
  return {
    started: false,
    outcome: {
      status: 'duplicate',
      kind: facts.kind,
      id: started.existingId,
      tenantId: domain.tenantId,
      domain: domain.name,
      reporter,
      reportId: facts.reportId,
      path,
    },
  };
}

/**
 * Late: delivered long after the end of its range. Only SMTP knows when a report really arrived; an import, upload
 * or mailbox poll happens whenever the operator runs it, so those never count as late.
 */
function isLate(scope: HandlerScope, endSeconds: number): boolean {
  return (
    scope.via === 'smtp' && scope.receivedAt.getTime() - endSeconds * 1000 > scope.lateAfterHours * 3600_000
  );
}

/**
 * The report is loaded; it completes (roll-ups, dedup key, verdict) only after the whole input was read, because
 * a DKIM signature covers the whole message (RFC 6376 §3.7). Until then it stays staged and invisible.
 */
function complete(
  scope: HandlerScope,
  begun: { report: NewReport; domain: DomainRef },
  totals: ReportTotals,
  path: string,
  notes: string[],
): DocumentOutcome {
  return {
    status: 'staged',
    finish: (judge) => finish(scope, begun, totals, path, notes, judge),
  };
}

async function finish(
  scope: HandlerScope,
  begun: { report: NewReport; domain: DomainRef },
  totals: ReportTotals,
  path: string,
  notes: string[],
  judge: (orgName: string, email: string | null) => TrustVerdict,
): Promise<DocumentOutcome> {
  const report = begun.report;
  const verdict = judge(report.orgName, report.reporterEmail);
  let completed;
  try {
    completed = await scope.repo.completeReport(report, totals, { ...verdict, at: report.receivedAt });
  } catch (error) {
    await scope.repo.abandonReport(report.id);
    throw error;
  }
  const common = {
    kind: report.kind,
    tenantId: report.tenantId,
    domain: begun.domain.name,
    reporter: report.reporter,
    reportId: report.externalId,
    path,
  };
  if (!completed.completed) {
    await countDuplicate(scope, report);
    return { status: 'duplicate', id: completed.existingId, ...common };
  }
  return {
    status: 'stored',
    id: report.id,
    records: totals.records,
    messages: totals.messages,
    notes,
    ...common,
    trust: verdict.trust,
    trustReason: verdict.reason,
    ...(completed.replaced === null ? {} : { replaced: completed.replaced }),
  };
}

export function documentHandlers(scope: HandlerScope): DocumentHandlers {
  return {
    async aggregate(source: ByteSource, context: UnwrapContext): Promise<DocumentOutcome> {
      const decoder = new XmlTextDecoder();
      const parser = new AggregateParser({ ...DEFAULT_AGGREGATE_LIMITS, maxRecords: scope.maxRecords });
      const sums = new ReportAccumulator();
      let report: NewReport | null = null;
      let domain: DomainRef | null = null;
      const start = async () => {
        const h = parser.header!;
        const begun = await begin(
          scope,
          {
            kind: 'aggregate',
            orgName: h.orgName,
            email: h.email,
            reportId: h.reportId,
            policyDomain: h.policy.domain,
            begin: h.begin,
            end: h.end,
            schema: h.schema,
            policy: h.policy,
          },
          context.path,
        );
        if (begun.started) [report, domain] = [begun.report, begun.domain];
        return begun.started ? null : begun.outcome;
      };
      const flush = async () => {
        const records = parser.takeRecords();
        sums.add(records);
        await scope.repo.addRecords(report!, records);
      };
      try {
        for await (const chunk of source) {
          parser.write(decoder.decode(chunk));
          if (report === null && parser.header !== null) {
            const stop = await start();
            if (stop !== null) return stop;
          }
          if (parser.pendingRecords >= RECORD_BATCH) await flush();
        }
        parser.write(decoder.end());
        parser.end();
        if (report === null) {
          const stop = await start();
          if (stop !== null) return stop;
        }
        await flush();
        const r = report as NewReport | null;
        const header = parser.header!;
        const notes = [...context.notes, ...parser.allNotes()];
        if (decoder.fallback !== null) notes.push(`unknown encoding "${decoder.fallback}" read as UTF-8`);
        const details = {
          notes,
          recoveries: parser.recoveries,
          skippedRecords: parser.skippedRecords,
          encoding: decoder.encoding,
          version: header.version,
          errors: header.errors,
          generator: header.generator,
          extraContactInfo: header.extraContactInfo,
        };
        const totals = sums.totals(isLate(scope, header.end), details);
        return complete(scope, { report: r!, domain: domain! }, totals, context.path, notes);
      } catch (error) {
        const r = report as NewReport | null;
        if (r !== null) await scope.repo.abandonReport(r.id);
        if (!isRefusal(error)) throw error;
        const h = parser.header;
        return {
          status: 'refused',
          reason: error.reason,
          message: error.message,
          path: context.path,
          reporter: h === null ? null : reporterKey(h.orgName, h.email),
          reportId: h?.reportId ?? null,
          policyDomain: h?.policy.domain ?? null,
          tenantId: r?.tenantId ?? null,
          domainId: r?.domainId ?? null,
        };
      }
    },

    async tls(json: string, context: UnwrapContext): Promise<DocumentOutcome> {
      const tls = parseTlsReport(json);
      const begun = await begin(
        scope,
        {
          kind: 'tlsrpt',
          orgName: tls.organizationName,
          email: tls.contactInfo !== null && tls.contactInfo.includes('@') ? tls.contactInfo : null,
          reportId: tls.reportId,
          policyDomain: tlsPolicyDomain(tls),
          begin: tls.begin,
          end: tls.end,
          schema: 'rfc8460',
          policy: null,
        },
        context.path,
      );
      if (!begun.started) return begun.outcome;
      const successful = tls.policies.reduce((s, p) => s + p.successfulSessions, 0);
      const failed = tls.policies.reduce((s, p) => s + p.failedSessions, 0);
      const totals: ReportTotals = {
        ...new ReportAccumulator().totals(isLate(scope, tls.end), {
          notes: context.notes,
          contactInfo: tls.contactInfo,
          policies: tls.policies,
        }),
        records: tls.policies.length,
        tlsSuccessful: successful,
        tlsFailed: failed,
      };
      return complete(scope, begun, totals, context.path, context.notes);
    },

    async failure(report: FailureReport, context: UnwrapContext): Promise<DocumentOutcome> {
      const policyDomain = report.reportedDomain[0] ?? report.originalFromDomain;
      const attribution = await domainFor(scope, policyDomain);
      if (!attribution.ok) {
        return {
          status: 'refused',
          reason: attribution.reason,
          message: new ReportRefusal(attribution.reason, attribution.detail).message,
          path: context.path,
          reporter: report.reporter,
          reportId: null,
          policyDomain,
          tenantId: attribution.domain?.tenantId ?? null,
          domainId: attribution.domain?.id ?? null,
        };
      }
      const id = scope.newId();
      const received = scope.receivedAt;
      const arrival = report.arrivalDate === null ? received : new Date(report.arrivalDate);
      const inserted = await scope.repo.insertFailureReport({
        id,
        tenantId: attribution.domain.tenantId,
        domainId: attribution.domain.id,
        receivedAt: received.toISOString(),
        expiresAt: new Date(received.getTime() + scope.failureRetentionDays * 86_400_000).toISOString(),
        day: (Number.isFinite(arrival.getTime()) ? arrival : received).toISOString().slice(0, 10),
        via: scope.via,
        report,
        dedupKey: failureDedupKey(report),
      });
      const common = {
        kind: 'failure' as const,
        tenantId: attribution.domain.tenantId,
        domain: attribution.domain.name,
        reporter: report.reporter,
        reportId: null,
        path: context.path,
      };
      if (!inserted.inserted) return { status: 'duplicate', id: inserted.existingId, ...common };
      return { status: 'stored', id, records: 1, messages: 1, notes: context.notes, ...common };
    },
  };
}
