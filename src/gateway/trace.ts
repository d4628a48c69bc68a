import type { BounceClass } from '../bounces/index.ts';
import type { Logger } from '../core/index.ts';
import type { SignatureUsed } from '../dkim/index.ts';

/**
 * The per-message trace: who sent it, how it was signed and why, its envelope, and every delivery attempt with
 * the remote reply. Stored through the GatewayRepository port (src/store implements it), read per tenant.
 */

export type MessageStatus = 'queued' | 'delivered' | 'bounced' | 'partially-bounced';

export interface MessageTrace {
  readonly id: string;
  readonly tenantId: string;
  readonly domainId: string | null;
  /** The sender domain that matched the From domain, if any. */
  readonly senderDomain: string | null;
  readonly headerFrom: string;
  /** MAIL FROM as the client gave it (the envelope we send is the VERP address per recipient). */
  readonly submittedMailFrom: string;
  readonly recipients: readonly { readonly address: string; readonly envelopeFrom: string }[];
  readonly signatures: readonly SignatureUsed[];
  /** Why the message was signed as it was (or not at all), in a sentence. */
  readonly signingDecision: string;
  readonly clientAddress: string;
  readonly credential: string | null;
  readonly size: number;
  readonly acceptedAt: string;
  readonly status: MessageStatus;
  readonly updatedAt: string;
}

export interface DeliveryAttempt {
  readonly messageId: string;
  readonly tenantId: string;
  readonly recipient: string;
  readonly at: string;
  readonly status: 'delivered' | 'deferred' | 'bounced' | 'expired';
  readonly code: number;
  readonly reply: string;
  readonly host: string;
  readonly tls: boolean;
}

export interface BounceRecord {
  readonly messageId: string;
  readonly tenantId: string;
  readonly domainId: string | null;
  readonly recipient: string;
  readonly at: string;
  /**
   * rejected: a 5xx from the receiver; expired: 4xx until the retry period ran out; dsn: a delivery status
   * notification (RFC 3464) that came back to the VERP address after the receiver had accepted the message.
   */
  readonly reason: 'rejected' | 'expired' | 'dsn';
  readonly code: number;
  readonly reply: string;
  /** The class src/bounces gives it (hard, soft, block, unknown), the rule that decided and the RFC 3463 code. */
  readonly class: BounceClass;
  readonly rule: string;
  readonly status: string | null;
}

/** What the gateway needs from the store. Reads are scoped to a tenant: another tenant's message is not found. */
export interface GatewayRepository {
  /** Inserts messages; one already there (recovered after a crash) is left as it is. */
  insertMessages(messages: readonly MessageTrace[]): Promise<void>;
  insertAttempts(attempts: readonly DeliveryAttempt[]): Promise<void>;
  insertBounces(bounces: readonly BounceRecord[]): Promise<void>;
  /** Whether a bounce for this message and recipient, for this reason, is already recorded. */
  hasBounce(messageId: string, recipient: string, reason: BounceRecord['reason']): Promise<boolean>;
  setStatus(updates: readonly { id: string; status: MessageStatus; updatedAt: string }[]): Promise<void>;
  findMessage(
    tenantId: string,
    id: string,
  ): Promise<{ message: MessageTrace; attempts: DeliveryAttempt[] } | null>;
  listMessages(tenantId: string, limit: number): Promise<MessageTrace[]>;
  listBounces(tenantId: string, limit: number): Promise<BounceRecord[]>;
  /** A message by id, whatever its tenant: for a bounce, whose VERP address names only the message. */
  messageById(id: string): Promise<MessageTrace | null>;
}

/** How often the trace writer writes, in milliseconds. */
export interface TraceTiming {
  /** Attempts, statuses and bounces: a busy gateway makes a few store writes a second, not several per message. */
  readonly intervalMs: number;
  /**
   * A new message's row: delivery waits for it (`message`), so it is written sooner, with every other message
   * row that arrived meanwhile; a burst still shares a write.
   */
  readonly commitMs: number;
}

const DEFAULT_TIMING: TraceTiming = { intervalMs: 200, commitMs: 20 };

/** A message row that could not be written is tried this many times before delivery goes ahead without it. */
const MESSAGE_WRITE_TRIES = 3;

/**
 * Writes trace rows in batches, off the path of the 250 reply. A message's own row (with its recipients and their
 * VERP addresses: what a DSN, a complaint, an unsubscribe or a click is matched by) is in the store before its
 * first delivery attempt: `message` resolves once the batch holding it is committed, and delivery waits for that
 * (delivery-progress.ts), so a receiver that accepts and bounces at once finds it. Attempts, statuses and bounces
 * are buffered for the interval; what is buffered when the process dies is lost from the trace (the messages
 * themselves are in the spool and are recovered).
 */
export class TraceWriter {
  readonly #repo: GatewayRepository;
  readonly #log: Logger;
  readonly #timing: TraceTiming;
  /** Message rows not yet written, by id: a status change that arrives first is folded into the row. */
  #messages = new Map<string, MessageTrace>();
  /** Settles when the message rows buffered now are in the store; created with the first of them. */
  #commit: PromiseWithResolvers<void> | undefined;
  #attempts: DeliveryAttempt[] = [];
  #bounces: BounceRecord[] = [];
  #statuses = new Map<string, { id: string; status: MessageStatus; updatedAt: string }>();
  #timer: NodeJS.Timeout | undefined;
  /** When the scheduled flush runs (ms since the epoch). */
  #due = 0;
  #flushing: Promise<void> = Promise.resolve();

  constructor(repo: GatewayRepository, log: Logger, timing: Partial<TraceTiming> = {}) {
    this.#repo = repo;
    this.#log = log;
    this.#timing = { ...DEFAULT_TIMING, ...timing };
  }

  /**
   * Buffers a new message's row. Resolves once it is in the store, shared by every row of the batch (also when
   * the store refused it MESSAGE_WRITE_TRIES times: that is logged, and delivery goes ahead without a row).
   */
  message(m: MessageTrace): Promise<void> {
    this.#messages.set(m.id, m);
    this.#commit ??= Promise.withResolvers<void>();
    this.#schedule(this.#timing.commitMs);
    return this.#commit.promise;
  }

  attempt(a: DeliveryAttempt): void {
    this.#attempts.push(a);
    this.#schedule(this.#timing.intervalMs);
  }

  bounce(b: BounceRecord): void {
    this.#bounces.push(b);
    this.#schedule(this.#timing.intervalMs);
  }

  status(id: string, status: MessageStatus, updatedAt: string): void {
    // A status that arrives while the row is still buffered goes into it: one INSERT, no UPDATE.
    const buffered = this.#messages.get(id);
    if (buffered !== undefined) this.#messages.set(id, { ...buffered, status, updatedAt });
    else this.#statuses.set(id, { id, status, updatedAt });
    this.#schedule(this.#timing.intervalMs);
  }

  /** Writes everything buffered so far; resolves when it is in the store. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const messages = [...this.#messages.values()];
    this.#messages.clear();
    const commit = this.#commit;
    this.#commit = undefined;
    const attempts = this.#attempts.splice(0);
    const bounces = this.#bounces.splice(0);
    const statuses = [...this.#statuses.values()];
    this.#statuses.clear();
    this.#flushing = this.#flushing.then(async () => {
      // Messages first, so a status update always finds its row, and the deliveries waiting for them go ahead.
      await this.#writeMessages(messages);
      commit?.resolve();
      try {
        for (const part of chunks(attempts)) await this.#repo.insertAttempts(part);
        for (const part of chunks(bounces)) await this.#repo.insertBounces(part);
        if (statuses.length > 0) await this.#repo.setStatus(statuses);
      } catch (error) {
        this.#log.error({ err: error }, 'writing the message trace failed');
      }
    });
    return this.#flushing;
  }

  /** Inserting a row that is already there does nothing, so a batch that failed halfway is simply tried again. */
  async #writeMessages(messages: readonly MessageTrace[]): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        for (const part of chunks(messages)) await this.#repo.insertMessages(part);
        return;
      } catch (error) {
        if (tries >= MESSAGE_WRITE_TRIES) {
          this.#log.error(
            { err: error, messages: messages.length },
            'writing the message trace failed; delivering without it (a DSN for these messages will not be matched)',
          );
          return;
        }
        this.#log.warn({ err: error, tries }, 'writing the message trace failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, this.#timing.intervalMs * tries));
      }
    }
  }

  /** Makes sure a flush runs within `delayMs`: a sooner need moves a later flush forward. */
  #schedule(delayMs: number): void {
    const due = Date.now() + delayMs;
    if (this.#timer !== undefined) {
      if (this.#due <= due) return;
      clearTimeout(this.#timer);
    }
    this.#due = due;
    this.#timer = setTimeout(() => void this.flush(), delayMs);
    this.#timer.unref();
  }
}

function chunks<T>(items: readonly T[], size = 100): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
