/**
 * The words of a refusal at RCPT for a suppressed recipient, as data the gateway's SMTP edge sends. The codes
 * (RFC 3463): a hard bounce keeps its meaning, X.1.1 bad destination mailbox; repeated soft bounces X.2.0, other
 * mailbox status (the mailbox exists but keeps failing); a person's or an import's decision X.7.1, delivery not
 * authorised. All are permanent (550): the sending application learns at once and should not retry the message.
 */
import type { Suppression } from './model.ts';

export interface SuppressionReply {
  readonly code: number;
  readonly enhanced: string;
  readonly text: string;
}

const TAG = '(senderd suppression list)';

export function suppressionReply(recipient: string, s: Suppression): SuppressionReply {
  const day = s.createdAt.slice(0, 10);
  switch (s.reason) {
    case 'hard-bounce':
      return {
        code: 550,
        enhanced: '5.1.1',
        text: `<${recipient}>: suppressed after a hard bounce on ${day} ${TAG}`,
      };
    case 'soft-bounce':
      return {
        code: 550,
        enhanced: '5.2.0',
        text: `<${recipient}>: suppressed after repeated soft bounces on ${day}, until ${(s.expiresAt ?? '').slice(0, 10)} ${TAG}`,
      };
    case 'manual':
      return {
        code: 550,
        enhanced: '5.7.1',
        text: `<${recipient}>: suppressed by the tenant (${s.source}) on ${day} ${TAG}`,
      };
    case 'unsubscribe':
      // RFC 3463 §3.8 (X.7.1): delivery not authorized; the recipient withdrew consent.
      return {
        code: 550,
        enhanced: '5.7.1',
        text: `<${recipient}>: the recipient unsubscribed (one-click) on ${day} ${TAG}`,
      };
  }
}
