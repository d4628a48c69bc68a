/**
 * The suppression list per tenant: recipients the gateway refuses at RCPT (or, by the tenant's choice, accepts
 * and drops), added by hard bounces at once and by soft bounces after repeated failures, or by people through the
 * API and CLI; every change is audited. The store implements `SuppressionRepository`.
 */

/** The list's rules (bounces, people, CSV import and export) over the repository. */
export { SuppressionService } from './suppression-service.ts';
export type {
  BounceNotice,
  FeedbackNotice,
  ImportOutcome,
  SuppressionSettings,
} from './suppression-service.ts';
/** An entry, its audit row, the port, and the address normalisation (domain only; local part kept as written). */
export { SUPPRESSION_REASONS, SUPPRESSION_SOURCES, suppressionAddress, suppressionKey } from './model.ts';
export type {
  Suppression,
  SuppressionAction,
  SuppressionAudit,
  SuppressionPage,
  SuppressionReason,
  SuppressionRepository,
  SuppressionSource,
} from './model.ts';
/** The RCPT refusal for a suppressed recipient (code, RFC 3463 code, text naming the reason). */
export { suppressionReply } from './suppression-reply.ts';
export type { SuppressionReply } from './suppression-reply.ts';
/** RFC 4180 CSV reading and writing, as the import and export use it. */
export { CSV_COLUMNS, parseCsv } from './suppression-csv.ts';
