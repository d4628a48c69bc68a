/**
 * Complaints and unsubscribes by mail (issue 18): the inbound MX hands ARF feedback reports and mail to the
 * List-Unsubscribe mailto addresses here; each is tied to the sent message (VERP, then Message-ID, then the
 * gateway's Received field), stored, suppresses the recipient, and becomes an event. The store implements
 * `FeedbackRepository`; the gateway's trace and VERP keys arrive as arguments from the composition root.
 */

/** The inbound listener's `FeedbackSink`: ARF reports to the feedback addresses. */
export { feedbackIntake } from './feedback-intake.ts';
export type { FeedbackIntakeDeps } from './feedback-intake.ts';
/** The inbound listener's `UnsubscribeSink`: mail to `u-<message>-<recipient>-<mac>@<bounce host>`. */
export { unsubscribeIntake } from './unsubscribe-intake.ts';
export type { UnsubscribeIntakeDeps } from './unsubscribe-intake.ts';
/** Which sent message (and recipient) a report is about, in the order of trust. */
export { matchCandidates, reportedRecipient } from './complaint-match.ts';
export type { MatchCandidate } from './complaint-match.ts';
/** The figures per domain per day and the complaint-rate events at 0.1% and 0.3%. */
export { FigureService } from './figure-service.ts';
export type { FigureSettings } from './figure-service.ts';
export { COMPLAINT_RATE_THRESHOLDS, complaintRate, thresholdsReached, withRate } from './figures.ts';
export type { DayCounts, DayFigures, FigureRepository } from './figures.ts';
export type {
  AddressReader,
  FeedbackKind,
  FeedbackRecord,
  FeedbackRepository,
  MatchedBy,
  SentMessage,
  SentMessages,
} from './model.ts';
