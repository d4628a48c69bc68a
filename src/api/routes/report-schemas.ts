import { z } from '@hono/zod-openapi';
import type { IngestOutcome, QuarantineRow } from '../../reports/index.ts';

/** OpenAPI schemas of the reports routes. */
const Figures = {
  reports: z.number(),
  messages: z.number(),
  dmarcPass: z.number(),
  dkimAligned: z.number(),
  spfAligned: z.number(),
  dispositionNone: z.number(),
  dispositionQuarantine: z.number(),
  dispositionReject: z.number(),
  tlsSuccessful: z.number(),
  tlsFailed: z.number(),
  failureReports: z.number(),
};
export const WindowSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    days: z.number(),
    basis: z
      .enum(['cover', 'arrival'])
      .openapi({ description: 'cover: by the day reports cover; arrival: by the day they were stored.' }),
    bucket: z
      .enum(['day', 'week', 'month'])
      .openapi({ description: 'The width of one `series` row: longer windows are summed by week or month.' }),
  })
  .openapi('ReportWindow');
export const SummarySchema = z
  .object({
    domain: z.string(),
    window: WindowSchema,
    totals: z.object(Figures),
    daily: z.array(z.object({ day: z.string(), ...Figures })),
    series: z
      .array(z.object({ day: z.string(), ...Figures }))
      .openapi({ description: '`daily` summed per `window.bucket`; `day` is the first day of each bucket.' }),
  })
  .openapi('ReportSummary');
/** What every capped list carries: how many rows there are in all, and whether some were left out. */
export const Capped = {
  total: z.number().openapi({ description: 'Rows in all (in the window), however many are listed.' }),
  truncated: z.boolean().openapi({ description: 'True when `limit` left rows out.' }),
};
const share = z.enum(['all', 'some', 'none']);
/** A named sender (src/senders): which service, how it authenticates for the domain, and the one fix. */
export const NamedSenderSchema = z
  .object({
    service: z
      .object({
        id: z.string(),
        name: z.string().openapi({ example: 'Zendesk' }),
        category: z.enum(['mailbox', 'esp', 'marketing', 'crm', 'ticketing', 'invoicing', 'commerce']),
        source: z
          .string()
          .openapi({ description: "The service's documentation the identification follows." }),
      })
      .nullable()
      .openapi({ description: 'null: no catalogue service matched, or two matched equally.' }),
    confidence: z.enum(['strong', 'weak']).nullable().openapi({
      description:
        'strong: a forward-confirmed reverse name, or a passing signature or envelope of the service’s own domains.',
    }),
    matchedBy: z.array(z.string()).openapi({ description: 'The evidence that named it.' }),
    dmarc: share.openapi({
      description: 'How many of the source’s messages passed DMARC: all, some or none.',
    }),
    dkimAligned: share,
    spfAligned: share,
    fix: z
      .object({
        kind: z.enum(['spf-include', 'dkim-cname', 'dkim-txt', 'service-setup']),
        action: z.string().openapi({ description: 'The one change to make, in a sentence.' }),
        mechanism: z.string().nullable(),
        records: z.array(z.object({ type: z.enum(['CNAME', 'TXT']), name: z.string(), value: z.string() })),
        source: z.string(),
      })
      .nullable()
      .openapi({ description: 'null when the source passes, or is not named.' }),
    note: z.string().nullable().openapi({
      description:
        'A caution about the fix: the address is also a known forwarder (reports.knownForwarders).',
    }),
  })
  .openapi('NamedSender');
export const SourceSchema = z
  .object({
    sourceIp: z.string(),
    ptr: z.string().nullable(),
    ptrVerified: z.boolean(),
    class: z.enum(['platform', 'forwarder', 'unknown']),
    messages: z.number(),
    dmarcPass: z.number(),
    dkimAligned: z.number(),
    spfAligned: z.number(),
    dispositionQuarantine: z.number(),
    dispositionReject: z.number(),
    days: z.number(),
    sender: NamedSenderSchema.nullable().openapi({
      description: 'The service this source is (null for the platform’s own addresses).',
    }),
  })
  .openapi('ReportSource');
export const SelectorSchema = z
  .object({
    signingDomain: z.string(),
    selector: z.string(),
    messages: z.number(),
    pass: z.number(),
    fail: z.number(),
    firstDay: z.string(),
    lastDay: z.string(),
  })
  .openapi('ReportSelector');
export const ReporterSchema = z
  .object({
    reporter: z.string(),
    reports: z.number(),
    messages: z.number(),
    dmarcPass: z.number(),
    duplicates: z.number(),
    malformed: z.number(),
    late: z.number(),
    firstDay: z.string().nullable(),
    lastDay: z.string().nullable(),
    silent: z.boolean(),
    verification: z
      .object({
        status: z.enum(['verified', 'unverified', 'legacy', 'mixed', 'none']),
        verified: z.number(),
        unverified: z.number(),
        legacy: z.number(),
        verifiedAs: z.array(z.string()),
        unverifiedReason: z.string().nullable(),
      })
      .openapi({
        description:
          'Who really sent the reports: verified by DKIM, forward-confirmed reverse DNS or an operator; unverified reports prove nothing and the autopilot ignores them (docs/reports.md).',
      }),
  })
  .openapi('Reporter');
export const ReportSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['aggregate', 'tlsrpt', 'failure']),
    reporter: z.string(),
    orgName: z.string(),
    externalId: z.string(),
    policyDomain: z.string(),
    begin: z.string(),
    end: z.string(),
    day: z.string(),
    receivedAt: z.string(),
    via: z.string(),
    records: z.number(),
    messages: z.number(),
    trust: z.enum(['dkim', 'fcrdns', 'operator', 'unverified', 'legacy']),
    trustReason: z.string().nullable(),
    verifiedDomain: z.string().nullable(),
  })
  .openapi('Report');
export const QuarantineSchema = z
  .object({
    id: z.string(),
    receivedAt: z.string(),
    via: z.string(),
    reason: z.string(),
    message: z.string(),
    path: z.string(),
    reporter: z.string().nullable(),
    externalId: z.string().nullable(),
    policyDomain: z.string().nullable(),
    rawBytes: z.number(),
    rawKept: z.number(),
    rawSha256: z.string(),
  })
  .openapi('QuarantineEntry');
export const OutcomeSchema = z
  .object({
    status: z.enum(['stored', 'duplicate', 'quarantined']),
    kind: z.string().optional(),
    id: z.string().optional(),
    domain: z.string().optional(),
    reporter: z.string().nullable().optional(),
    reportId: z.string().nullable().optional(),
    records: z.number().optional(),
    messages: z.number().optional(),
    reason: z.string().optional(),
    message: z.string().optional(),
    quarantineId: z.string().optional(),
    trust: z.enum(['dkim', 'fcrdns', 'operator', 'unverified', 'legacy']).optional(),
    trustReason: z.string().optional(),
    replaced: z.string().optional(),
    path: z.string(),
  })
  .openapi('IngestOutcome');

export function outcomeJson(o: IngestOutcome): z.infer<typeof OutcomeSchema> {
  switch (o.status) {
    case 'stored':
      return {
        status: o.status,
        kind: o.kind,
        id: o.id,
        domain: o.domain,
        reporter: o.reporter,
        reportId: o.reportId,
        records: o.records,
        messages: o.messages,
        path: o.path,
        ...(o.trust === undefined ? {} : { trust: o.trust }),
        ...(o.trustReason === undefined ? {} : { trustReason: o.trustReason }),
        ...(o.replaced === undefined ? {} : { replaced: o.replaced }),
      };
    case 'duplicate':
      return {
        status: o.status,
        kind: o.kind,
        id: o.id,
        domain: o.domain,
        reporter: o.reporter,
        reportId: o.reportId,
        path: o.path,
      };
    case 'quarantined':
      return {
        status: o.status,
        reason: o.reason,
        message: o.message,
        quarantineId: o.quarantineId,
        reporter: o.reporter,
        reportId: o.reportId,
        path: o.path,
      };
  }
}

export const quarantineJson = (q: QuarantineRow): z.infer<typeof QuarantineSchema> => ({
  id: q.id,
  receivedAt: q.receivedAt,
  via: q.via,
  reason: q.reason,
  message: q.message,
  path: q.path,
  reporter: q.reporter,
  externalId: q.externalId,
  policyDomain: q.policyDomain,
  rawBytes: q.rawBytes,
  rawKept: q.rawKept,
  rawSha256: q.rawSha256,
});
