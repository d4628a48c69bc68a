/**
 * What happened to each report found in one input. One input (an e-mail, a file) can hold several reports (a zip
 * of three XML files), so intake answers with a list.
 */
import type { ReportKind } from './model.ts';
import type { RefusalReason, ReportRefusal } from './refusal.ts';
import type { ReporterTrust, TrustVerdict } from './reporter-trust.ts';

export interface StoredOutcome {
  readonly status: 'stored';
  readonly kind: ReportKind;
  /** Our id of the stored report. */
  readonly id: string;
  readonly tenantId: string;
  readonly domain: string;
  readonly reporter: string;
  /** The reporter's report id (null for failure reports, which have none). */
  readonly reportId: string | null;
  readonly records: number;
  readonly messages: number;
  /** Where in the input it was: "message › part 2 (report.zip) › report.xml". */
  readonly path: string;
  readonly notes: readonly string[];
  /** Who sent it, as far as could be checked (aggregate and TLS reports; failure reports are not judged). */
  readonly trust?: ReporterTrust;
  readonly trustReason?: string;
  /** The id of an unverified report with the same key that this verified one replaced. */
  readonly replaced?: string;
}

/**
 * A report loaded but not yet complete: it completes once the whole input was read, when what the message proves
 * about its sender is known (reporter-trust.ts). `finish` completes it with its verdict.
 */
export interface StagedOutcome {
  readonly status: 'staged';
  finish(judge: (orgName: string, email: string | null) => TrustVerdict): Promise<DocumentOutcome>;
}

export interface DuplicateOutcome {
  readonly status: 'duplicate';
  readonly kind: ReportKind;
  /** The report stored earlier. */
  readonly id: string;
  readonly tenantId: string;
  readonly domain: string;
  readonly reporter: string;
  readonly reportId: string | null;
  readonly path: string;
}

export interface RefusedOutcome {
  readonly status: 'refused';
  readonly reason: RefusalReason;
  readonly message: string;
  readonly path: string;
  /** What we learnt before refusing, for the quarantine and the reporter scoreboard. */
  readonly reporter: string | null;
  readonly reportId: string | null;
  readonly policyDomain: string | null;
  /** Where the refusal is filed, once known (after attribution); otherwise the intake decides. */
  readonly tenantId?: string | null;
  readonly domainId?: string | null;
}

/** A document outcome before quarantine; `skipped` is a MIME part that is no report (a greeting, a logo). */
export type DocumentOutcome =
  StoredOutcome | DuplicateOutcome | RefusedOutcome | StagedOutcome | { readonly status: 'skipped' };

export interface QuarantinedOutcome extends Omit<RefusedOutcome, 'status'> {
  readonly status: 'quarantined';
  readonly quarantineId: string;
  /** The same input was refused before for the same reason: `quarantineId` is that first entry. */
  readonly repeated: boolean;
}

export type IngestOutcome = StoredOutcome | DuplicateOutcome | QuarantinedOutcome;

/** A refusal as the outcome of the document at `path`. */
export function refused(error: ReportRefusal, path: string): DocumentOutcome {
  return {
    status: 'refused',
    reason: error.reason,
    message: error.message,
    path,
    reporter: null,
    reportId: null,
    policyDomain: null,
  };
}
