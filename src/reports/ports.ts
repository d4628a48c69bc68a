/** What the reports capability needs from the outside: the store, a reverse resolver, a bounce handler. */
import type { DomainRef } from './attribution.ts';
import type { AggregateRecord, FailureReport, PublishedPolicy, ReportKind, TlsReport } from './model.ts';
import type { RefusalReason } from './refusal.ts';
import type { ReporterTrust, TrustVerdict } from './reporter-trust.ts';

export type IntakePath = 'smtp' | 'upload' | 'import' | 'imap';

export interface NewReport {
  readonly id: string;
  readonly kind: ReportKind;
  readonly tenantId: string;
  readonly domainId: string;
  readonly reporter: string;
  readonly orgName: string;
  readonly reporterEmail: string | null;
  readonly externalId: string;
  readonly policyDomain: string;
  /** ISO-8601 UTC. */
  readonly begin: string;
  readonly end: string;
  /** YYYY-MM-DD (UTC) the report counts for: the middle of its date range. */
  readonly day: string;
  readonly receivedAt: string;
  readonly via: IntakePath;
  readonly schema: string | null;
  readonly policy: PublishedPolicy | null;
  /** (reporter, report id, policy domain, date range), hashed. */
  readonly dedupKey: string;
}

export interface SelectorFigures {
  readonly signingDomain: string;
  readonly selector: string;
  readonly messages: number;
  readonly pass: number;
  readonly fail: number;
}

/** Per-report sums, added to the daily roll-ups when the report completes. */
export interface ReportTotals {
  readonly records: number;
  readonly messages: number;
  readonly dmarcPass: number;
  readonly dkimAligned: number;
  readonly spfAligned: number;
  readonly dispositionNone: number;
  readonly dispositionQuarantine: number;
  readonly dispositionReject: number;
  readonly tlsSuccessful: number;
  readonly tlsFailed: number;
  readonly late: boolean;
  readonly selectors: readonly SelectorFigures[];
  /** JSON-serialisable details kept with the report (notes, errors, TLS policies, ...). */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface NewQuarantineEntry {
  readonly id: string;
  readonly tenantId: string | null;
  readonly domainId: string | null;
  readonly receivedAt: string;
  readonly via: IntakePath;
  readonly reason: RefusalReason;
  readonly message: string;
  readonly path: string;
  readonly reporter: string | null;
  readonly externalId: string | null;
  readonly policyDomain: string | null;
  readonly rawBytes: number;
  readonly rawSha256: string;
  /** How many of the raw bytes are kept (the start of the input, up to the limit). */
  readonly rawKept: number;
  readonly rawGzip: Buffer;
}

export interface NewFailureReport {
  readonly id: string;
  readonly tenantId: string;
  readonly domainId: string;
  readonly receivedAt: string;
  readonly expiresAt: string;
  readonly day: string;
  readonly via: IntakePath;
  readonly report: FailureReport;
  /** SHA-256 of the parsed report: a failure report has no id of its own (RFC 6591 §3). */
  readonly dedupKey: string;
}

export type ReporterEvent = 'duplicate' | 'malformed';

/** Writes of the intake pipeline. */
export interface ReportRepository {
  domainByToken(token: string): Promise<DomainRef | null>;
  domainsNamed(name: string): Promise<DomainRef[]>;
  /**
   * Stages the report as loading, or says which stored report has the same dedup key. A staged report and its
   * records are invisible (every read asks for complete reports, and the roll-ups are added at completion) and
   * hold no dedup key, so a load a dead process left behind never stands in for the report. A stored report that
   * is `unverified` does not stop the load: a verified one may replace it at completion.
   */
  beginReport(
    report: NewReport,
  ): Promise<{ readonly started: true } | { readonly started: false; readonly existingId: string }>;
  addRecords(report: NewReport, records: readonly AggregateRecord[]): Promise<void>;
  /**
   * Claims the dedup key, adds the report to the daily roll-ups and marks it complete with its verdict, in one
   * transaction: the report becomes visible whole or not at all. If another load completed the same report first,
   * the staged rows are removed and that report's id returned — unless that one is `unverified` and this one is
   * verified: then the unverified report and its share of the roll-ups are taken out in the same transaction
   * (`replaced`), so a forged report sent first never blocks the genuine one.
   */
  completeReport(
    report: NewReport,
    totals: ReportTotals,
    verdict: TrustVerdict & { readonly at: string },
  ): Promise<
    | { readonly completed: true; readonly replaced: string | null }
    | { readonly completed: false; readonly existingId: string }
  >;
  /**
   * An operator's trust: marks the `from` reports of a tenant (one domain, one reporter, or all) as `operator`.
   * Returns how many changed.
   */
  trustReports(scope: {
    readonly tenantId: string | null;
    readonly domainId: string | null;
    readonly reporter: string | null;
    readonly from: readonly ReporterTrust[];
    readonly reason: string;
    readonly at: string;
  }): Promise<number>;
  /** Removes a loading report and its records (the input turned out malformed). */
  abandonReport(id: string): Promise<void>;
  /** Stores a failure report and counts it, in one transaction, unless the domain already has the same one. */
  insertFailureReport(
    report: NewFailureReport,
  ): Promise<{ readonly inserted: true } | { readonly inserted: false; readonly existingId: string }>;
  countReporterEvent(event: {
    readonly tenantId: string | null;
    readonly domainId: string | null;
    readonly day: string;
    readonly reporter: string;
    readonly event: ReporterEvent;
  }): Promise<void>;
  /**
   * Files a refused input, once: the same bytes refused for the same reason at the same path (and tenant) return
   * the entry already filed, with `repeated`.
   */
  insertQuarantine(entry: NewQuarantineEntry): Promise<{ readonly id: string; readonly repeated: boolean }>;
  /** Staged reports older than `before` (their process died): removed with their records. */
  removeStaleLoading(before: string): Promise<number>;
  purgeFailureReports(now: string): Promise<number>;
}

export type { TlsReport };
