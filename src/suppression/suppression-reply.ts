/**
 * The words of a refusal at RCPT for a suppressed recipient, as data the gateway's SMTP edge sends. The codes
 * (RFC 3463): a hard bounce keeps its meaning, X.1.1 bad destination mailbox; repeated soft bounces X.2.0, other
 * mailbox status (the mailbox exists but keeps failing); a person's or an import's decision X.7.1, delivery not
 * authorised, and so are a complaint and an unsubscribe (the recipient asked for no more mail). All are permanent (550): the sending application learns at once and should not retry the message.
 */
import type { Suppression } from './model.ts';

export interface SuppressionReply {
  readonly code: number;
  readonly enhanced: string;
  readonly text: string;
}

const TAIL = '(senderd suppression list)';

/**
 * The reply for `recipient`, suppressed by `s`; an entry scoped to one sender domain says so ("... for mail from
 * news.example.com"), so the application learns why mail of its other domains still goes.
 */
export function suppressionReply(recipient: string, s: Suppression): SuppressionReply {
  const day = s.createdAt.slice(0, 10);
  const tag = s.domain === undefined ? TAIL : `for mail from ${s.domain} ${TAIL}`;
  switch (s.reason) {
    case 'hard-bounce':
      return {
        code: 550,
        enhanced: '5.1.1',
        text: `<${recipient}>: suppressed after a hard bounce on ${day} ${tag}`,
      };
    case 'soft-bounce':
      return {
        code: 550,
        enhanced: '5.2.0',
        text: `<${recipient}>: suppressed after repeated soft bounces on ${day}, until ${(s.expiresAt ?? '').slice(0, 10)} ${tag}`,
      };
    case 'manual':
      return {
        code: 550,
        enhanced: '5.7.1',
        text: `<${recipient}>: suppressed by the tenant (${s.source}) on ${day} ${tag}`,
      };
    case 'complaint':
      return {
        code: 550,
        enhanced: '5.7.1',
        text: `<${recipient}>: suppressed after a complaint (feedback loop) on ${day} ${tag}`,
      };
    case 'unsubscribe':
      return {
        code: 550,
        enhanced: '5.7.1',
        text: `<${recipient}>: the recipient unsubscribed (${s.source}) on ${day} ${tag}`,
      };
  }
}
