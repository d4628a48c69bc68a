/**
 * Bounces that come back after a receiver accepted a message: delivery status notifications (RFC 3464) sent to
 * the VERP return path (`b-<message>-<recipient>-<mac>@<bounce host>`), whose MX is the platform's inbound
 * listener. Only addresses with a valid MAC are accepted, so nobody can forge a bounce for mail we did not send.
 * A failed recipient becomes a bounce record and a `gateway.message.bounced` event, like a synchronous 5xx.
 */
import { classifyBounce } from '../bounces/index.ts';
import type { Clock, Logger } from '../core/index.ts';
import type { EventSink } from '../events/index.ts';
import type { BounceSink } from '../inbound/index.ts';
import { readDeliveryStatus, type DsnRecipient } from '../mail/index.ts';
import { parseVerpAddress } from './envelope.ts';
import type { GatewaySuppressions } from './ports.ts';
import type { GatewayRepository } from './trace.ts';

export interface BounceIntakeDeps {
  /**
   * The VERP keys to accept, newest first: one per key-encryption key, so a bounce for mail sent before a KEK
   * rotation is still recognised.
   */
  readonly verpKeys: () => readonly Buffer[];
  readonly repo: Pick<GatewayRepository, 'messageById' | 'insertBounces' | 'hasBounce'>;
  readonly events: EventSink;
  /** Where each classified bounce goes; none when absent. */
  readonly suppressions?: GatewaySuppressions;
  readonly clock: Clock;
  readonly log: Logger;
}

function parseWithAnyKey(deps: BounceIntakeDeps, address: string) {
  for (const key of deps.verpKeys()) {
    const verp = parseVerpAddress(key, address);
    if (verp !== null) return verp;
  }
  return null;
}

/** The inbound listener's `BounceSink`: it hands on mail to the return paths this accepts. */
export function bounceIntake(deps: BounceIntakeDeps): BounceSink {
  return {
    accepts: (address) => Promise.resolve(parseWithAnyKey(deps, address) !== null),

    async deliver({ recipients, source }) {
      const status = await readDeliveryStatus(source);
      // A MIME structure past the parser's limits fails the message, as it always has (the listener answers 451).
      if (!status.ok) throw new Error(`the bounce's MIME structure is refused: ${status.error.detail}`);
      const log = deps.log.child({ component: 'bounces' });
      if (status.value === null) {
        log.info(
          { recipients },
          'mail to a bounce address without a delivery-status part (an auto-reply?); ignored',
        );
        return;
      }
      const reported = status.value.filter((r) => r.action === 'failed');
      for (const address of recipients) {
        const verp = parseWithAnyKey(deps, address);
        if (verp === null) continue;
        // The message's row was in the store before its first delivery attempt (delivery-progress.ts), so a
        // receiver that bounces at once finds it too: one not found here is gone (pruned, or its row could not be written).
        const message = await deps.repo.messageById(verp.messageId);
        const recipient = message?.recipients[verp.recipient]?.address;
        if (message === null || recipient === undefined) {
          log.warn({ verp }, 'a bounce for a message that is not (or no longer) in the trace');
          continue;
        }
        // The DSN names the recipient it is about; a single failed group is ours even if a relay rewrote it.
        const match =
          reported.find((r) => r.finalRecipient.toLowerCase() === recipient.toLowerCase()) ??
          (reported.length === 1 ? reported[0] : undefined);
        if (match === undefined) continue; // delayed, delivered, relayed: nothing to record
        // One failure per message and recipient: the same DSN again (a relay that sends it twice, a replay of a
        // captured one) is not a second bounce.
        if (await deps.repo.hasBounce(message.id, recipient, 'dsn')) {
          log.info({ messageId: message.id, recipient }, 'a DSN for a bounce already recorded; ignored');
          continue;
        }
        await record(deps, message.id, message.tenantId, message.domainId, recipient, match);
      }
    },
  };
}

async function record(
  deps: BounceIntakeDeps,
  messageId: string,
  tenantId: string,
  domainId: string | null,
  recipient: string,
  dsn: DsnRecipient,
): Promise<void> {
  const code = Number(
    /\b([245]\d\d)\b/.exec(dsn.diagnostic ?? '')?.[1] ?? (dsn.status.startsWith('4') ? 450 : 550),
  );
  const reply = `${dsn.status} ${dsn.diagnostic ?? ''}`.trim().slice(0, 1000);
  const at = deps.clock.now().toISOString();
  // RFC 3464 §2.3.4: the Status field is the DSN's own machine-readable verdict; the diagnostic is the receiver's.
  const verdict = classifyBounce({
    code,
    reply: dsn.diagnostic ?? '',
    ...(dsn.status ? { status: dsn.status } : {}),
  });
  await deps.repo.insertBounces([
    {
      messageId,
      tenantId,
      domainId,
      recipient,
      at,
      reason: 'dsn',
      code,
      reply,
      class: verdict.class,
      rule: verdict.rule,
      status: verdict.status,
    },
  ]);
  try {
    await deps.suppressions?.recordBounce({
      tenantId,
      recipient,
      class: verdict.class,
      at,
      reply,
      messageId,
      stored: true,
    });
  } catch (error) {
    // The bounce is recorded; a DSN sent again would be ignored as a duplicate, so failing here would not help.
    deps.log.error({ err: error, messageId, recipient }, 'recording a suppression failed');
  }
  await deps.events.emit({
    tenantId,
    domainId,
    type: 'gateway.message.bounced',
    severity: 'warning',
    message: `Message ${messageId} to ${recipient} bounced after delivery${dsn.remoteMta ? ` at ${dsn.remoteMta}` : ''}: ${reply}`,
    data: {
      messageId,
      recipient,
      reason: 'dsn',
      class: verdict.class,
      rule: verdict.rule,
      code,
      status: dsn.status,
      diagnostic: dsn.diagnostic,
      remoteMta: dsn.remoteMta,
    },
  });
}
