/**
 * Where the inbound listener hands each accepted message on. The listener owns the SMTP face (who may send to
 * which address, limits, replies); what a report, a bounce or a postmaster message means is the business of the
 * capability behind each port, which main.ts wires in.
 */

/** One accepted message as it streams in. The source must be read to its end (the client waits for its reply). */
export interface InboundMessage {
  readonly recipients: readonly string[];
  readonly source: AsyncIterable<Uint8Array>;
}

/** Report intake: mail to the rua addresses of sender domains (`<token>@reports.<zone>`). */
export interface ReportSink {
  /** True if `address` is the report address of a sender domain that exists. */
  accepts(address: string): Promise<boolean>;
  /**
   * Stores the reports the message carries; `name` names the input in paths and the quarantine, `clientIp` is the
   * SMTP client's address (its forward-confirmed name may verify the reporter).
   */
  deliver(
    message: InboundMessage & { readonly name: string; readonly clientIp: string | null },
  ): Promise<ReportDelivery>;
}

/** What became of the reports in one message, for the final reply. */
export interface ReportDelivery {
  readonly outcomes: ReadonlyArray<{ readonly status: 'stored' | 'duplicate' | 'quarantined' }>;
}

/** Bounce intake: mail to the VERP return paths of the mail the gateway sent. */
export interface BounceSink {
  /** True if `address` is a bounce (return-path) address of ours. */
  accepts(address: string): Promise<boolean>;
  deliver(message: InboundMessage): Promise<void>;
}

/** Complaints: feedback reports (ARF, RFC 5965) from receivers' feedback loops, sent to the feedback addresses. */
export interface FeedbackSink {
  /** True if `address` is a feedback address of ours (`fbl@<reports host>` and the like). */
  accepts(address: string): Promise<boolean>;
  /** Handles the report; the text goes in the 250 reply. A report that matches nothing is never an error. */
  deliver(message: InboundMessage): Promise<string>;
}

/** Unsubscribes: mail to the List-Unsubscribe mailto addresses (RFC 2369 §3.2) of the mail the gateway sent. */
export interface UnsubscribeSink {
  /** True if `address` is an unsubscribe address of ours with a valid MAC. */
  accepts(address: string): Promise<boolean>;
  deliver(message: InboundMessage & { readonly returnPath: string }): Promise<void>;
}

/** Mail to postmaster (RFC 5321 §4.5.1), kept where the operator reads it. */
export interface PostmasterSink {
  deliver(message: InboundMessage & { readonly returnPath: string }): Promise<void>;
}
