/**
 * DMARC aggregate, TLS-RPT and failure reports: a streaming, hardened core (unwrapping, parsing, attribution,
 * deduplication, roll-ups) and thin intake adapters (upload, import, IMAP; SMTP arrives through inbound/). See
 * docs/reports.md.
 */
export { ReportIngestService } from './ingest.ts';
export type { IngestRequest, IngestResult, IngestSettings, IntakeCount, ReportIngestDeps } from './ingest.ts';
export { ReportStatistics, bucketFor, bucketStart, bucketed } from './statistics.ts';
export type {
  Bucket,
  CappedList,
  ClassifiedSource,
  DayRange,
  DmarcStatistics,
  DomainSummary,
  ReportStatisticsDeps,
  ReporterVerification,
  ScoreboardRow,
  Window,
  WindowRequest,
} from './statistics.ts';
export { sourceClassifier } from './source-class.ts';
export type { SourceClass, SourceClassifier } from './source-class.ts';
export { ReverseNameWorker, lookUpReverseName } from './reverse-names.ts';
export type { ReverseResolver } from './reverse-names.ts';
export { DEFAULT_REPORT_LIMITS, formatBytes } from './limits.ts';
export type { ReportLimits } from './limits.ts';
export { REFUSAL_REASONS } from './refusal.ts';
export type { RefusalReason } from './refusal.ts';
export { attribute, tokenOf } from './attribution.ts';
export type { Attribution, DomainRef } from './attribution.ts';
export type { IngestOutcome, QuarantinedOutcome, StoredOutcome, DuplicateOutcome } from './outcome.ts';
export type {
  AggregateHeader,
  AggregateRecord,
  DkimAuthResult,
  FailureReport,
  SpfAuthResult,
  PublishedPolicy,
  ReportKind,
  TlsReport,
} from './model.ts';
export type {
  IntakePath,
  NewFailureReport,
  NewQuarantineEntry,
  NewReport,
  ReportRepository,
  ReportTotals,
  SelectorFigures,
} from './ports.ts';
export { NO_FIGURES } from './stats-ports.ts';
export type {
  DailyFigures,
  FailureRow,
  QuarantineRow,
  ReporterRow,
  ReporterTrustRow,
  ReportRow,
  ReportStatsRepository,
  VerifiedOnly,
  SelectorRow,
  SourceAuthRow,
  SourceDayRow,
  SourceRow,
  SourceTotals,
  WindowBasis,
} from './stats-ports.ts';
export { ImapPoller, IMPORTED_KEYWORD } from './imap-poller.ts';
export type { ImapMailbox, PollResult } from './imap-poller.ts';
export { dnsReverseResolver, dnsTxtLookup } from './dns-reverse-resolver.ts';
export { startImapPollers, startReportMaintenance } from './report-components.ts';
export type { ImapMailboxConfig, ReportComponent, ReportComponentDeps } from './report-components.ts';
export { reportEvidenceSource } from './dmarc-evidence.ts';
export {
  countsAsEvidence,
  judgeReporter,
  REPORTER_TRUSTS,
  reporterDomain,
  VERIFIED_TRUSTS,
} from './reporter-trust.ts';
export type { MessageEvidence, ReporterTrust, TrustVerdict } from './reporter-trust.ts';
export type { EvidenceResolvers, TxtLookup } from './message-evidence.ts';
