/**
 * What comes back from a recipient in their own words: a complaint through a receiver's feedback loop (an ARF
 * report, RFC 5965) or an unsubscribe (a mail to the List-Unsubscribe mailto address, RFC 2369 §3.2, RFC 8058).
 * Each is kept as a record tied, when it can be, to the message and recipient it is about; a report that matches
 * nothing is kept too (unmatched), so an operator can see what a feedback loop sends that we could not place.
 */

/** complaint: Feedback-Type abuse, fraud or virus; unsubscribe: the mailto address; other: any other feedback. */
export type FeedbackKind = 'complaint' | 'unsubscribe' | 'other';

/** How the record was tied to its message: the order of trust, strongest first (docs/complaints.md). */
/** `mailto` and `one-click`: an unsubscribe, whose address or token names the message and recipient itself. */
export type MatchedBy = 'verp' | 'message-id' | 'received' | 'mailto' | 'one-click';

export interface FeedbackRecord {
  readonly kind: FeedbackKind;
  /** null for an unmatched report: no tenant's message was found. */
  readonly tenantId: string | null;
  readonly domainId: string | null;
  readonly messageId: string | null;
  /** The recipient it is about; null when the message was found but not which of its recipients. */
  readonly recipient: string | null;
  readonly at: string;
  readonly matchedBy: MatchedBy | null;
  readonly feedbackType: string | null;
  readonly userAgent: string | null;
  /** The domain of the report's From (the feedback loop), or of the unsubscribe mail's sender. */
  readonly reporter: string | null;
  /** The report's fields (JSON), or how the unsubscribe arrived. */
  readonly evidence: string;
}

/** What the intake needs from the store. */
export interface FeedbackRepository {
  /**
   * Inserts a record; false when one of the same kind for the same message and recipient is already there (a
   * feedback loop sending a report twice, a second mail to the unsubscribe address): nothing is written then.
   */
  insert(record: FeedbackRecord): Promise<boolean>;
  /** A tenant's records, newest first; `null` lists the unmatched ones (the operator's view). */
  list(tenantId: string | null, limit: number): Promise<FeedbackRecord[]>;
}

/** A sent message, as the gateway's trace holds it: whose it is and whom it went to. */
export interface SentMessage {
  readonly id: string;
  readonly tenantId: string;
  readonly domainId: string | null;
  readonly recipients: readonly { readonly address: string }[];
}

/** The gateway's trace, looked up by message id whatever the tenant (the id or the MAC is the authority). */
export interface SentMessages {
  messageById(id: string): Promise<SentMessage | null>;
}

/** A VERP-shaped address (return path or unsubscribe address) checked against its MAC; null when forged. */
export type AddressReader = (address: string) => { messageId: string; recipient: number } | null;
