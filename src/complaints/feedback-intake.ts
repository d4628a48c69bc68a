/**
 * Complaints from receivers' feedback loops: an ARF report (RFC 5965) to one of the feedback addresses is read
 * (mail/'s ARF reader), tied to the sent message (complaint-match.ts), stored, and, for a complaint about a known
 * recipient, suppresses that recipient and becomes a `gateway.recipient.complained` event. A report that matches
 * nothing is stored as unmatched and logged; the feedback loop always gets 250 (an error would only make it retry
 * a report we cannot place, RFC 5321 §4.2.5), and never learns whether or whose mail matched.
 */
import type { Clock, Logger } from '../core/index.ts';
import type { EventSink } from '../events/index.ts';
import type { FeedbackSink } from '../inbound/index.ts';
import { domainOfAddress, headerValue, readFeedbackReport, type FeedbackMessage } from '../mail/index.ts';
import type { SuppressionService } from '../suppression/index.ts';
import { matchCandidates, reportedRecipient } from './complaint-match.ts';
import type {
  AddressReader,
  FeedbackKind,
  FeedbackRecord,
  FeedbackRepository,
  SentMessages,
} from './model.ts';

export interface FeedbackIntakeDeps {
  /** The feedback addresses, as the receivers' feedback loops are told them (compared without case). */
  readonly addresses: readonly string[];
  /** Reads the gateway's VERP return path with its MAC (any current or earlier key). */
  readonly readReturnPath: AddressReader;
  readonly messages: SentMessages;
  readonly repo: FeedbackRepository;
  readonly suppressions: Pick<SuppressionService, 'recordFeedback'>;
  readonly events: EventSink;
  /** Called after each new complaint that names its tenant and domain (the complaint-rate check). */
  readonly onComplaint?: (record: FeedbackRecord) => Promise<void>;
  readonly clock: Clock;
  readonly log: Logger;
}

/** RFC 5965 §7.3 types a recipient uses to say "I did not want this": abuse, fraud, virus. */
const COMPLAINT_TYPES = new Set(['abuse', 'fraud', 'virus']);

function evidenceOf(report: FeedbackMessage, reporter: string | null): string {
  const f = report.fields;
  return JSON.stringify({
    feedbackType: f.feedbackType,
    userAgent: f.userAgent,
    version: f.version,
    originalMailFrom: f.originalMailFrom,
    originalRcptTo: f.originalRcptTo,
    arrivalDate: f.arrivalDate,
    reportingMta: f.reportingMta,
    sourceIp: f.sourceIp,
    reportedDomain: f.reportedDomain,
    incidents: f.incidents,
    reporter,
    wellFormed: report.wellFormed,
  }).slice(0, 4000);
}

export function feedbackIntake(deps: FeedbackIntakeDeps): FeedbackSink {
  const addresses = new Set(deps.addresses.map((a) => a.toLowerCase()));
  const log = deps.log.child({ component: 'complaints' });
  return {
    accepts: (address) => Promise.resolve(addresses.has(address.toLowerCase())),

    async deliver({ source }) {
      const read = await readFeedbackReport(source);
      if (!read.ok) {
        log.warn({ problem: read.error }, 'a message to the feedback address past the MIME limits; ignored');
        return '2.0.0 Not a feedback report we read; ignored';
      }
      if (read.value === null) {
        log.info('a message to the feedback address without a feedback-report part; ignored');
        return '2.0.0 No feedback report found; ignored';
      }
      const report = read.value;
      const reporter = domainOfAddress(headerValue(report.reportHeaders, 'from'));
      const kind: FeedbackKind = COMPLAINT_TYPES.has(report.fields.feedbackType) ? 'complaint' : 'other';
      const base = {
        kind,
        at: deps.clock.now().toISOString(),
        feedbackType: report.fields.feedbackType,
        userAgent: report.fields.userAgent,
        reporter,
        evidence: evidenceOf(report, reporter),
      };
      for (const candidate of matchCandidates(report, deps.readReturnPath)) {
        const message = await deps.messages.messageById(candidate.messageId);
        if (message === null) continue;
        const recipient = reportedRecipient(message, candidate, report.fields.originalRcptTo);
        const record: FeedbackRecord = {
          ...base,
          tenantId: message.tenantId,
          domainId: message.domainId,
          messageId: message.id,
          recipient,
          matchedBy: candidate.by,
        };
        await handleMatched(deps, log, record);
        return '2.0.0 Feedback report received';
      }
      await deps.repo.insert({
        ...base,
        tenantId: null,
        domainId: null,
        messageId: null,
        recipient: null,
        matchedBy: null,
      });
      log.info(
        { feedbackType: base.feedbackType, userAgent: base.userAgent, reporter },
        'a feedback report that matches no message we sent; kept as unmatched',
      );
      return '2.0.0 Feedback report received';
    },
  };
}

async function handleMatched(deps: FeedbackIntakeDeps, log: Logger, record: FeedbackRecord): Promise<void> {
  const fresh = await deps.repo.insert(record);
  if (record.kind !== 'complaint') {
    log.info({ messageId: record.messageId, feedbackType: record.feedbackType }, 'feedback kept');
    return;
  }
  if (!fresh) {
    // The same report again (feedback loops resend): the complaint counts, suppresses and is told once; a tenant
    // that removed the suppression since is not overruled by a copy of the same report.
    log.info({ messageId: record.messageId, recipient: record.recipient }, 'a complaint already recorded');
    return;
  }
  const suppressed =
    record.recipient === null || record.tenantId === null
      ? null
      : await deps.suppressions.recordFeedback({
          tenantId: record.tenantId,
          recipient: record.recipient,
          reason: 'complaint',
          source: 'complaint',
          at: record.at,
          evidence: record.evidence,
          messageId: record.messageId,
        });
  await deps.events.emit({
    tenantId: record.tenantId!,
    domainId: record.domainId,
    type: 'gateway.recipient.complained',
    severity: 'warning',
    message:
      `${record.recipient ?? 'A recipient'} complained about message ${record.messageId}` +
      `${record.userAgent === null ? '' : ` (feedback loop: ${record.userAgent})`}` +
      `${suppressed === null ? '' : '; the address is now suppressed'}`,
    data: {
      messageId: record.messageId,
      recipient: record.recipient,
      matchedBy: record.matchedBy,
      feedbackType: record.feedbackType,
      userAgent: record.userAgent,
      reporter: record.reporter,
      suppressed: suppressed !== null,
    },
  });
  if (deps.onComplaint === undefined) return;
  try {
    await deps.onComplaint(record);
  } catch (error) {
    // The complaint is stored and suppressed; a report sent again would be a duplicate, so failing would not help.
    log.error({ err: error, domainId: record.domainId }, 'the complaint-rate check failed');
  }
}
