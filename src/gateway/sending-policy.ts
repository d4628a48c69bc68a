import type { Result } from '../core/index.ts';
import { err, ok } from '../core/index.ts';
import { DEFAULT_SENDING, type SenderDomain } from '../domains/index.ts';
import { fieldValue, type HeaderField } from '../mail/index.ts';
import type { SmtpReply } from './smtp-reply.ts';

/**
 * What the gateway adds to one message on the way out (pure): click and open tracking, the RFC 8058 one-click
 * List-Unsubscribe of the bulk stream, and Gmail's Feedback-ID. The sender domain's settings decide
 * (domains/sending-settings.ts); the sending application may override tracking and stream per message with two
 * fields of its own, which never leave the gateway:
 *
 *     X-Senderd-Tracking: off | clicks | opens | clicks,opens
 *     X-Senderd-Stream: bulk | transactional
 *
 * Links point at the domain's click host, so nothing is tracked or given an unsubscribe URL unless the host is
 * planned (`tracking`) and the domain is verified (its records, the click host's CNAME among them, are in place).
 */

export const TRACKING_FIELD = 'x-senderd-tracking';
export const STREAM_FIELD = 'x-senderd-stream';

export interface SendingControls {
  /** The message's own choice of tracking, or null: the domain's. */
  readonly tracking: { readonly clicks: boolean; readonly opens: boolean } | null;
  readonly stream: 'bulk' | 'transactional' | null;
}

export interface SendingDecision {
  readonly clicks: boolean;
  readonly opens: boolean;
  /** Add List-Unsubscribe and List-Unsubscribe-Post (the message has none of its own). */
  readonly listUnsubscribe: boolean;
  /** The whole Feedback-ID value, or null. */
  readonly feedbackId: string | null;
  /** `clicks.<domain>`; null when no URL of ours may go in the message. */
  readonly clickHost: string | null;
}

const NOTHING: SendingDecision = {
  clicks: false,
  opens: false,
  listUnsubscribe: false,
  feedbackId: null,
  clickHost: null,
};

const refusal = (text: string): SmtpReply => ({ code: 554, enhanced: '5.6.0', text });

/** The message's control fields, read once; a value the gateway does not know is refused, never guessed. */
export function readControls(fields: readonly HeaderField[]): Result<SendingControls, SmtpReply> {
  let tracking: SendingControls['tracking'] = null;
  let stream: SendingControls['stream'] = null;
  let seenTracking = false;
  let seenStream = false;
  for (const field of fields) {
    if (field.name === TRACKING_FIELD) {
      if (seenTracking) return err(refusal('X-Senderd-Tracking appears more than once.'));
      seenTracking = true;
      const words = fieldValue(field)
        .toLowerCase()
        .split(',')
        .map((w) => w.trim());
      if (words.length === 1 && words[0] === 'off') tracking = { clicks: false, opens: false };
      else if (words.every((w) => w === 'clicks' || w === 'opens'))
        tracking = { clicks: words.includes('clicks'), opens: words.includes('opens') };
      else
        return err(
          refusal('X-Senderd-Tracking must be off, clicks, opens or clicks,opens (docs/tracking.md).'),
        );
    } else if (field.name === STREAM_FIELD) {
      if (seenStream) return err(refusal('X-Senderd-Stream appears more than once.'));
      seenStream = true;
      const value = fieldValue(field).toLowerCase();
      if (value !== 'bulk' && value !== 'transactional')
        return err(refusal('X-Senderd-Stream must be bulk or transactional (docs/tracking.md).'));
      stream = value;
    }
  }
  return ok({ tracking, stream });
}

/** The header without the control fields (they are for the gateway only); the same objects when there are none. */
export function withoutControls(
  header: string,
  fields: readonly HeaderField[],
): { header: string; fields: readonly HeaderField[] } {
  const isControl = (f: HeaderField) => f.name === TRACKING_FIELD || f.name === STREAM_FIELD;
  if (!fields.some(isControl)) return { header, fields };
  const kept = fields.filter((f) => !isControl(f));
  return { header: kept.map((f) => f.raw).join(''), fields: kept };
}

export function decideSending(
  domain: SenderDomain | null,
  tenantId: string,
  controls: SendingControls,
  fields: readonly HeaderField[],
): SendingDecision {
  if (domain === null) return NOTHING;
  const settings = domain.settings.sending ?? DEFAULT_SENDING;
  const has = (name: string) => fields.some((f) => f.name === name);
  // Gmail: Feedback-ID is a:b:c:SenderId, the SenderId fixed per sender; here the tenant is the sender.
  const feedbackId =
    settings.feedbackId === null || has('feedback-id') ? null : `${settings.feedbackId}:${tenantId}`;
  const hostReady = domain.settings.tracking && domain.verifiedAt !== null;
  if (!hostReady) return { ...NOTHING, feedbackId };
  const tracking = controls.tracking ?? { clicks: settings.clicks, opens: settings.opens };
  const bulk = controls.stream === null ? settings.bulk : controls.stream === 'bulk';
  return {
    clicks: tracking.clicks,
    opens: tracking.opens,
    // RFC 8058 §3.1 / RFC 2369: a message that has its own List-Unsubscribe keeps it, and gets no second one.
    listUnsubscribe: bulk && !has('list-unsubscribe'),
    feedbackId,
    clickHost: `${domain.settings.clickLabel}.${domain.name}`,
  };
}

/** Whether any recipient's copy differs from the message as submitted (else the common path runs unchanged). */
export function personalises(decision: SendingDecision): boolean {
  return decision.clicks || decision.opens || decision.listUnsubscribe;
}
