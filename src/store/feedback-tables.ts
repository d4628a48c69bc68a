import type { Generated } from 'kysely';

/** Tables of complaints, unsubscribes by mail and the complaint-rate crossings (migration 1020-feedback). */
export interface FeedbackTables {
  recipient_feedback: RecipientFeedbackTable;
  complaint_rate_crossings: ComplaintRateCrossingsTable;
}

/** One complaint, unsubscribe or other feedback; unmatched reports have no tenant, message or recipient. */
export interface RecipientFeedbackTable {
  id: Generated<number>;
  kind: string;
  tenant_id: string | null;
  domain_id: string | null;
  message_id: string | null;
  recipient: string | null;
  at: string;
  matched_by: string | null;
  feedback_type: string | null;
  user_agent: string | null;
  reporter: string | null;
  evidence: string;
}

/** A domain's day that crossed a complaint-rate threshold, so the event is sent once per crossing. */
export interface ComplaintRateCrossingsTable {
  domain_id: string;
  day: string;
  threshold: string;
  at: string;
}
