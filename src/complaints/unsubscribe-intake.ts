/**
 * Unsubscribes by mail: the List-Unsubscribe header's mailto address (RFC 2369 §3.2, offered beside the HTTPS
 * one of RFC 8058 §3.1) is `u-<message>-<recipient>-<mac>@<bounce host>`; its MAC names the recipient, so any
 * mail to a valid one (whatever it says: receivers send an empty one, people write "unsubscribe" or nothing)
 * unsubscribes that recipient: a suppression (reason unsubscribe, source mailto) and a
 * `gateway.recipient.unsubscribed` event. A forged address is refused at RCPT by the listener (accepts). Sending
 * again is harmless: the record and the event happen once; a later mail after the tenant removed the
 * suppression suppresses again (the recipient asked again).
 */
import type { Clock, Logger } from '../core/index.ts';
import type { EventSink } from '../events/index.ts';
import type { UnsubscribeSink } from '../inbound/index.ts';
import { domainOfAddress } from '../mail/index.ts';
import type { SuppressionService } from '../suppression/index.ts';
import type { AddressReader, FeedbackRepository, SentMessages } from './model.ts';

export interface UnsubscribeIntakeDeps {
  /** Reads the unsubscribe address with its MAC (any current or earlier key). */
  readonly readUnsubscribe: AddressReader;
  readonly messages: SentMessages;
  readonly repo: FeedbackRepository;
  readonly suppressions: Pick<SuppressionService, 'recordFeedback'>;
  readonly events: EventSink;
  readonly clock: Clock;
  readonly log: Logger;
}

export function unsubscribeIntake(deps: UnsubscribeIntakeDeps): UnsubscribeSink {
  const log = deps.log.child({ component: 'complaints' });
  return {
    accepts: (address) => Promise.resolve(deps.readUnsubscribe(address) !== null),

    async deliver({ recipients, source, returnPath }) {
      // RFC 2369 §3.2 leaves the content to the list; ours means nothing. Read it to its end for the reply.
      for await (const _chunk of source);
      const at = deps.clock.now().toISOString();
      for (const address of recipients) {
        const named = deps.readUnsubscribe(address);
        if (named === null) continue;
        const message = await deps.messages.messageById(named.messageId);
        const recipient = message?.recipients[named.recipient]?.address;
        if (message === null || recipient === undefined) {
          log.warn({ named }, 'an unsubscribe for a message that is not (or no longer) in the trace');
          continue;
        }
        const evidence = `mail to the List-Unsubscribe address${returnPath === '' ? '' : ` from <${returnPath.slice(0, 256)}>`}`;
        const fresh = await deps.repo.insert({
          kind: 'unsubscribe',
          tenantId: message.tenantId,
          domainId: message.domainId,
          messageId: message.id,
          recipient,
          at,
          matchedBy: 'mailto',
          feedbackType: null,
          userAgent: null,
          reporter: domainOfAddress(returnPath),
          evidence,
        });
        const suppressed = await deps.suppressions.recordFeedback({
          tenantId: message.tenantId,
          recipient,
          reason: 'unsubscribe',
          source: 'mailto',
          at,
          evidence,
          messageId: message.id,
        });
        if (!fresh && suppressed === null) {
          log.info({ messageId: message.id, recipient }, 'an unsubscribe already recorded');
          continue;
        }
        await deps.events.emit({
          tenantId: message.tenantId,
          domainId: message.domainId,
          type: 'gateway.recipient.unsubscribed',
          severity: 'info',
          message: `${recipient} unsubscribed (mailto) from the mail of message ${message.id}`,
          data: { messageId: message.id, recipient, source: 'mailto', suppressed: suppressed !== null },
        });
      }
    },
  };
}
