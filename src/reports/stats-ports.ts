/** Reads of the statistics: the daily roll-ups, the scoreboard, the quarantine. Days are YYYY-MM-DD (UTC). */
import type { FailureReport } from './model.ts';
import type { NewQuarantineEntry, NewReport } from './ports.ts';
import type { ReporterTrust } from './reporter-trust.ts';
import type { DkimSeen, SpfSeen } from '../senders/index.ts';

/**
 * Figures from verified reports only (reporter-trust.ts): `dkim`, `fcrdns` and `operator` reports, and `legacy`
 * ones whose `trust_at` (the migration) is after `legacyAfter` — the transition period.
 */
export interface VerifiedOnly {
  readonly legacyAfter: string;
}

/** Reports of a window grouped by reporter and verdict. */
export interface ReporterTrustRow {
  readonly reporter: string;
  readonly trust: ReporterTrust;
  /** The organisational domain verification proved (null when unverified or legacy). */
  readonly verifiedDomain: string | null;
  readonly reports: number;
  readonly messages: number;
  /** The latest reason given for this verdict. */
  readonly reason: string | null;
  /** The latest trust_at (for legacy reports: the migration). */
  readonly trustAt: string | null;
}

export interface DailyFigures {
  readonly day: string;
  readonly reports: number;
  readonly messages: number;
  readonly dmarcPass: number;
  readonly dkimAligned: number;
  readonly spfAligned: number;
  readonly dispositionNone: number;
  readonly dispositionQuarantine: number;
  readonly dispositionReject: number;
  readonly tlsSuccessful: number;
  readonly tlsFailed: number;
  readonly failureReports: number;
}

/** A day with nothing reported: what sums start from. */
export const NO_FIGURES: Readonly<Omit<DailyFigures, 'day'>> = {
  reports: 0,
  messages: 0,
  dmarcPass: 0,
  dkimAligned: 0,
  spfAligned: 0,
  dispositionNone: 0,
  dispositionQuarantine: 0,
  dispositionReject: 0,
  tlsSuccessful: 0,
  tlsFailed: 0,
  failureReports: 0,
};

export interface SourceRow {
  readonly sourceIp: string;
  readonly messages: number;
  readonly dmarcPass: number;
  readonly dkimAligned: number;
  readonly spfAligned: number;
  readonly dispositionQuarantine: number;
  readonly dispositionReject: number;
  /** Failing messages that passed SPF or DKIM for another domain (a sender nobody set up, not a spoofer). */
  readonly authUnaligned: number;
  readonly days: number;
  /** The reverse name, once resolved; null before or when there is none. */
  readonly ptr: string | null;
  /** True when the name resolves back to the address (forward-confirmed, RFC 8601 §3 "iprev"). */
  readonly ptrVerified: boolean;
}

/** The DKIM and MAIL FROM SPF results reporters gave for one source, summed per distinct result. */
export interface SourceAuthRow {
  readonly sourceIp: string;
  readonly dkim: readonly DkimSeen[];
  readonly spf: readonly SpfSeen[];
}

export interface SourceDayRow {
  readonly day: string;
  readonly sourceIp: string;
  readonly messages: number;
  readonly dmarcPass: number;
  readonly dkimAligned: number;
  readonly spfAligned: number;
}

export interface SelectorRow {
  readonly signingDomain: string;
  readonly selector: string;
  readonly messages: number;
  readonly pass: number;
  readonly fail: number;
  readonly firstDay: string;
  readonly lastDay: string;
}

export interface ReporterRow {
  readonly reporter: string;
  readonly reports: number;
  readonly messages: number;
  readonly dmarcPass: number;
  readonly duplicates: number;
  readonly malformed: number;
  readonly late: number;
  readonly firstDay: string | null;
  /** The last day a report of this reporter counted for (null if it only ever sent junk). */
  readonly lastDay: string | null;
}

/** A received report as listed: what was stored about it, and its totals. */
export type ReportRow = Pick<
  NewReport,
  | 'id'
  | 'kind'
  | 'reporter'
  | 'orgName'
  | 'externalId'
  | 'policyDomain'
  | 'begin'
  | 'end'
  | 'day'
  | 'receivedAt'
  | 'via'
> & {
  readonly records: number;
  readonly messages: number;
  readonly trust: ReporterTrust;
  readonly trustReason: string | null;
  readonly verifiedDomain: string | null;
};

/** A quarantined input as listed: what was stored, without the kept raw bytes. */
export type QuarantineRow = Omit<NewQuarantineEntry, 'rawGzip'>;

export interface FailureRow {
  readonly id: string;
  readonly receivedAt: string;
  readonly expiresAt: string;
  readonly report: FailureReport;
}

/**
 * Which date places a report in a window. `cover`: the day its date range covers (its middle, see `reportDay`), as
 * the roll-ups are kept. `arrival`: the UTC day it was stored (`received_at`), read from the raw facts.
 */
export type WindowBasis = 'cover' | 'arrival';

/** How much a capped list left out: every row of the window, and all their messages. */
export interface SourceTotals {
  readonly sources: number;
  readonly messages: number;
}

export interface ReportStatsRepository {
  daily(domainId: string, from: string, to: string, basis?: WindowBasis): Promise<DailyFigures[]>;
  /**
   * Per source; with `verified`, summed from the records of verified reports only (not the roll-ups), by the
   * days they cover whatever the basis.
   */
  sources(
    domainId: string,
    from: string,
    to: string,
    limit: number,
    basis?: WindowBasis,
    verified?: VerifiedOnly,
  ): Promise<SourceRow[]>;
  sourceTotals(domainId: string, from: string, to: string, basis?: WindowBasis): Promise<SourceTotals>;
  /** The first day of the domain's reports by that basis (null: none yet), for the "all time" window. */
  firstDay(domainId: string, basis: WindowBasis): Promise<string | null>;
  sourceDays(domainId: string, from: string, to: string): Promise<SourceDayRow[]>;
  /** The auth results of these sources in the window, from the records of complete reports (named senders). */
  sourceAuth(
    domainId: string,
    from: string,
    to: string,
    ips: readonly string[],
    basis?: WindowBasis,
  ): Promise<SourceAuthRow[]>;
  selectors(domainId: string, from: string, to: string): Promise<SelectorRow[]>;
  /** The scoreboard; `domainId` null means every domain of the tenant (or everything, when tenantId is null). */
  reporters(
    scope: { tenantId: string | null; domainId: string | null },
    from: string,
    to: string,
  ): Promise<ReporterRow[]>;
  /** Complete aggregate and TLS reports of the window by reporter and verdict (`domainId` null as above). */
  reporterTrust(
    scope: { tenantId: string | null; domainId: string | null },
    from: string,
    to: string,
  ): Promise<ReporterTrustRow[]>;
  reports(
    domainId: string,
    from: string,
    to: string,
    limit: number,
    basis?: WindowBasis,
  ): Promise<ReportRow[]>;
  reportCount(domainId: string, from: string, to: string, basis?: WindowBasis): Promise<number>;
  failureReports(domainId: string, limit: number): Promise<FailureRow[]>;
  failureCount(domainId: string): Promise<number>;
  /** tenantId null: every entry (operator). */
  quarantine(tenantId: string | null, limit: number): Promise<QuarantineRow[]>;
  quarantineCount(tenantId: string | null): Promise<number>;
  quarantineEntry(
    tenantId: string | null,
    id: string,
  ): Promise<(QuarantineRow & { readonly rawGzip: Buffer }) | null>;
  /** Source addresses seen in reports that have no reverse name yet (or whose name is older than `staleBefore`). */
  addressesToResolve(staleBefore: string, limit: number): Promise<string[]>;
  saveReverseName(ip: string, ptr: string | null, verified: boolean, at: string): Promise<void>;
}
