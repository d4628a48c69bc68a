import { z } from 'zod';

/**
 * What the gateway does to a sender domain's mail on the way out (issues 17 and 18): click tracking (links
 * rewritten to the domain's click host), open tracking (a pixel), the bulk stream (RFC 8058 one-click
 * List-Unsubscribe) and the Feedback-ID field of Gmail's feedback loop. Everything is off by default: a rewritten
 * link leads through the click host, which works only once its CNAME and certificate are in place, and a domain
 * that sends only transactional mail wants none of it. A message may override the tracking and the stream with
 * X-Senderd-Tracking and X-Senderd-Stream (the gateway removes both before signing; docs/tracking.md).
 */
export interface SendingSettings {
  /** Rewrite http(s) links to `https://<click host>/c/<token>`. */
  readonly clicks: boolean;
  /** Put a 1×1 image `https://<click host>/o/<token>` at the end of the HTML part. */
  readonly opens: boolean;
  /** Mail of this domain is bulk: add List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) when it has none. */
  readonly bulk: boolean;
  /**
   * The parts of Gmail's Feedback-ID before the SenderId (`a:b:c`, one to three parts, e.g. `newsletter:acme`);
   * the gateway appends the tenant as the SenderId. Null: no Feedback-ID.
   */
  readonly feedbackId: string | null;
}

export const DEFAULT_SENDING: SendingSettings = {
  clicks: false,
  opens: false,
  bulk: false,
  feedbackId: null,
};

/**
 * Gmail's Feedback-ID is `a:b:c:SenderId` with the first three parameters optional
 * (https://support.google.com/mail/answer/6254652); each part here is a token that cannot break the field or its
 * colon structure.
 */
const feedbackIdParts = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]{1,64}(:[A-Za-z0-9._-]{1,64}){0,2}$/,
    'must be one to three parts separated by colons (letters, digits, ".", "_", "-"), such as newsletter:acme',
  );

export const sendingSettingsInput = z.strictObject({
  clicks: z
    .boolean()
    .optional()
    .describe('Rewrite links to the click host for click tracking. Off by default.'),
  opens: z.boolean().optional().describe('Add an open-tracking pixel to HTML parts. Off by default.'),
  bulk: z
    .boolean()
    .optional()
    .describe(
      'Bulk stream: add RFC 8058 one-click List-Unsubscribe when a message has none. Off by default.',
    ),
  feedbackId: feedbackIdParts
    .nullable()
    .optional()
    .describe(
      'The a:b:c parts of the Feedback-ID field; the tenant is appended as the SenderId. Null: none.',
    ),
});

export type SendingSettingsInput = z.infer<typeof sendingSettingsInput>;

/** The input over the current settings; a field not given keeps its value. */
export function applySending(
  current: SendingSettings,
  input: SendingSettingsInput | undefined,
): SendingSettings {
  if (input === undefined) return current;
  return {
    clicks: input.clicks ?? current.clicks,
    opens: input.opens ?? current.opens,
    bulk: input.bulk ?? current.bulk,
    feedbackId: input.feedbackId === undefined ? current.feedbackId : input.feedbackId,
  };
}

/** Whether every option is off (the domain is stored without its sending settings then). */
export function isDefaultSending(s: SendingSettings): boolean {
  return !s.clicks && !s.opens && !s.bulk && s.feedbackId === null;
}
