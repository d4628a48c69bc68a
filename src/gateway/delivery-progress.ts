import { classifyBounce } from '../bounces/index.ts';
import type { Clock, Logger } from '../core/index.ts';
import {
  DeliveryQueue,
  type AttemptReport,
  type DeliveryJob,
  type DeliveryTarget,
} from './delivery-queue.ts';
import type { GatewayAlerts } from './gateway-alerts.ts';
import type { GatewaySuppressions } from './ports.ts';
import { MessageCache } from './message-cache.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { MessageContent } from './smtp-client.ts';
import type { RecoveredMessage, Spool } from './spool.ts';
import type { SpooledMeta } from './spool-records.ts';
import type { MessageStatus, TraceWriter } from './trace.ts';

/**
 * Where each spooled message stands: which recipients are still pending, and what became of the others. It feeds
 * the delivery queue (at acceptance and after a restart), and records each attempt's outcome in the spool and the
 * trace; a bounce also becomes an event. When no recipient is pending the message leaves the spool and the cache.
 */

/** How delivery reaches receivers: the gateway's delivery settings. */
export interface DeliverySettings {
  readonly delivery: DeliveryTarget;
  /** Our host name: EHLO, banner, Received. */
  readonly hostname: string;
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
}

export interface DeliveryProgressDeps {
  readonly settings: DeliverySettings;
  readonly spool: Spool;
  readonly trace: TraceWriter;
  readonly alerts: GatewayAlerts;
  readonly suppressions: GatewaySuppressions;
  readonly clock: Clock;
  readonly log: Logger;
}

type RecipientStatus = 'pending' | 'delivered' | 'bounced';

/** The recipients of every live message, and the delivery queue they are in. */
export class DeliveryProgress {
  readonly #deps: DeliveryProgressDeps;
  readonly #queue: DeliveryQueue;
  readonly #cache = new MessageCache();
  readonly #messages = new Map<string, { meta: SpooledMeta; statuses: RecipientStatus[] }>();
  #tracing = 0;
  /** Delivery attempts since this node started, by outcome (for /metrics). */
  readonly #attempts: Record<AttemptReport['status'], number> = {
    delivered: 0,
    deferred: 0,
    bounced: 0,
    expired: 0,
  };

  constructor(deps: DeliveryProgressDeps) {
    this.#deps = deps;
    const s = deps.settings;
    this.#queue = new DeliveryQueue({
      target: s.delivery,
      heloName: s.hostname,
      concurrency: s.concurrency,
      retry: s.retry,
      connectTimeoutMs: s.connectTimeoutMs,
      commandTimeoutMs: s.commandTimeoutMs,
      idleMs: 5_000,
      load: (job) => this.#load(job),
      report: (attempt) => this.#onAttempt(attempt),
      now: () => deps.clock.now().getTime(),
    });
  }

  /**
   * A message the spool has just made durable: every recipient is queued once `traced` settles, that is once the
   * message's trace row is in the store (trace.ts). Whatever answers a delivered message by its id (a DSN to its
   * VERP address, a complaint, an unsubscribe, a click) then finds it, however fast the receiver is. `copies`
   * are its bytes in memory, one entry per copy (meta.copies), or one for the whole message; undefined: a body
   * that is in a file.
   */
  accepted(
    meta: SpooledMeta,
    copies: ReadonlyArray<readonly Buffer[]> | undefined,
    size: number,
    traced: Promise<void>,
  ): void {
    if (copies !== undefined) {
      if (meta.copies === undefined) this.#cache.keep(meta.id, copies[0]!, size);
      else copies.forEach((pieces, k) => this.#cache.keep(copyKey(meta.id, k), pieces, meta.copies![k]!));
    }
    this.#tracing++;
    void traced.then(() => {
      this.#tracing--;
      this.resume({
        meta,
        states: meta.recipients.map(() => ({ status: 'pending', attempts: 0, nextAttemptAt: 0 })),
      });
    });
  }

  /** A message read back from the spool: its pending recipients are queued again, at their retry times. */
  resume(message: RecoveredMessage): void {
    const { meta, states } = message;
    this.#messages.set(meta.id, { meta, statuses: states.map((s) => s.status) });
    const acceptedAt = Date.parse(meta.acceptedAt);
    states.forEach((state, i) => {
      if (state.status !== 'pending') return;
      const r = meta.recipients[i]!;
      this.#queue.enqueue(
        {
          messageId: meta.id,
          recipient: i,
          address: r.address,
          envelopeFrom: r.envelopeFrom,
          acceptedAt,
          attempts: state.attempts,
        },
        state.nextAttemptAt,
      );
    });
  }

  stats(): {
    /** Messages accepted whose trace row is not in the store yet: their delivery waits for it. */
    tracing: number;
    ready: number;
    active: number;
    scheduled: number;
    attempts: Readonly<Record<AttemptReport['status'], number>>;
  } {
    return { tracing: this.#tracing, ...this.#queue.stats(), attempts: { ...this.#attempts } };
  }

  stop(): Promise<void> {
    return this.#queue.stop();
  }

  /**
   * The job's bytes, from the cache, else from the spool: a streamed body is read from its file as it is sent,
   * never whole. A personalised message is read one copy at a time: the job's recipient's.
   */
  async #load(job: DeliveryJob): Promise<MessageContent> {
    const id = job.messageId;
    const meta = this.#messages.get(id)?.meta;
    const copy = meta?.recipients[job.recipient]?.copy;
    const copies = meta?.copies;
    const key = copy === undefined || copies === undefined ? id : copyKey(id, copy);
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    let part: { start: number; length: number } | undefined;
    if (copy !== undefined && copies !== undefined) {
      let start = 0;
      for (let k = 0; k < copy; k++) start += copies[k]!;
      part = { start, length: copies[copy]! };
    }
    const spooled = await this.#deps.spool.open(id, part);
    return spooled.body === undefined
      ? [spooled.head]
      : { head: spooled.head, size: spooled.size, body: spooled.body };
  }

  #onAttempt(a: AttemptReport): void {
    const progress = this.#messages.get(a.job.messageId);
    if (progress === undefined) return;
    const { meta } = progress;
    this.#attempts[a.status]++;
    const { spool, trace, log } = this.#deps;
    const at = this.#deps.clock.now().toISOString();
    const done = a.status === 'delivered' ? 'delivered' : a.status === 'deferred' ? 'pending' : 'bounced';
    log[done === 'delivered' ? 'debug' : 'info'](
      {
        id: meta.id,
        to: a.job.address,
        status: a.status,
        code: a.code,
        reply: a.reply,
        host: a.host,
        attempts: a.job.attempts,
      },
      'delivery attempt',
    );
    spool.recordState({
      id: meta.id,
      recipient: a.job.recipient,
      status: done,
      attempts: a.job.attempts,
      nextAttemptAt: a.nextAttemptAt,
    });
    trace.attempt({
      messageId: meta.id,
      tenantId: meta.tenantId,
      recipient: a.job.address,
      at,
      status: a.status,
      code: a.code,
      reply: a.reply,
      host: a.host,
      tls: a.tls,
    });
    if (done === 'bounced') this.#bounce(meta, a, at);
    progress.statuses[a.job.recipient] = done;
    if (progress.statuses.some((s) => s === 'pending')) return;
    this.#messages.delete(meta.id);
    spool.release(meta.id);
    this.#cache.drop(meta.id);
    meta.copies?.forEach((_, k) => this.#cache.drop(copyKey(meta.id, k)));
    const bounced = progress.statuses.filter((s) => s === 'bounced').length;
    const status: MessageStatus =
      bounced === 0 ? 'delivered' : bounced === progress.statuses.length ? 'bounced' : 'partially-bounced';
    trace.status(meta.id, status, at);
  }

  #bounce(meta: SpooledMeta, a: AttemptReport, at: string): void {
    const reason = a.status === 'expired' ? 'expired' : 'rejected';
    // An expired message is classified by its last reply: a 4xx is soft unless its words say more.
    const verdict = classifyBounce({ code: a.code, reply: a.reply });
    this.#deps.trace.bounce({
      messageId: meta.id,
      tenantId: meta.tenantId,
      domainId: meta.domainId,
      recipient: a.job.address,
      at,
      reason,
      code: a.code,
      reply: a.reply,
      class: verdict.class,
      rule: verdict.rule,
      status: verdict.status,
    });
    // The trace row is still in the write buffer, so the list counts this bounce itself (stored: false).
    this.#deps.suppressions
      .recordBounce({
        tenantId: meta.tenantId,
        recipient: a.job.address,
        class: verdict.class,
        at,
        reply: `${a.code} ${a.reply}`,
        messageId: meta.id,
        stored: false,
      })
      .catch((error: unknown) => this.#deps.log.error({ err: error }, 'recording a suppression failed'));
    this.#deps.alerts.emit({
      tenantId: meta.tenantId,
      domainId: meta.domainId,
      type: 'gateway.message.bounced',
      severity: 'warning',
      message:
        reason === 'expired'
          ? `Message ${meta.id} to ${a.job.address} could not be delivered before the retry period ran out (last reply: ${a.code} ${a.reply}).`
          : `Message ${meta.id} to ${a.job.address} was refused: ${a.code} ${a.reply}`,
      data: {
        messageId: meta.id,
        recipient: a.job.address,
        reason,
        class: verdict.class,
        rule: verdict.rule,
        status: verdict.status,
        code: a.code,
        reply: a.reply,
        host: a.host,
      },
    });
  }
}

/** The cache key of one copy of a personalised message. */
function copyKey(id: string, copy: number): string {
  return `${id}/${copy}`;
}
