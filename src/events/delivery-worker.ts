import { PeriodicTask, type Clock, type Logger } from '../core/index.ts';
import type { EventService } from './event-service.ts';
import type { PlatformEvent } from './model.ts';
import type { Delivery, EventRepository } from './ports.ts';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.ts';

/** Sends one webhook request; resolves on a 2xx answer, rejects with a short reason otherwise. */
export interface WebhookTransport {
  post(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<void>;
}

/** Sends one notification e-mail. */
export interface EmailTransport {
  send(message: {
    to: readonly string[];
    subject: string;
    text: string;
    /** An HTML alternative to `text` (the digest): sent as multipart/alternative. */
    html?: string;
    headers: Record<string, string>;
  }): Promise<void>;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

/** Exponential backoff: base, 2×base, 4×base … capped at max. */
export function retryDelay(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
}

export interface DeliveryWorkerDeps {
  readonly repo: EventRepository;
  readonly events: Pick<EventService, 'webhookSecret'>;
  readonly webhook: WebhookTransport;
  /** Absent when e-mail is not configured: e-mail deliveries then wait (and say why) rather than vanish. */
  readonly email: EmailTransport | null;
  readonly retry: RetryPolicy;
  readonly clock: Clock;
  readonly log: Logger;
  /**
   * How long a claimed delivery is reserved for this worker, by channel, counted from the claim: longer than one
   * attempt can take (the request's time limit) plus the write of its outcome. A worker that dies mid-attempt
   * holds its delivery this long; then another node (or this one, restarted) takes it again.
   */
  readonly leaseMs: Readonly<Record<Delivery['channel'], number>>;
}

/** The body a webhook receives: the event as JSON. */
export function webhookBody(event: PlatformEvent): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    severity: event.severity,
    at: event.at,
    tenantId: event.tenantId,
    domainId: event.domainId,
    message: event.message,
    data: event.data,
  });
}

/**
 * Works the outbox: claims due deliveries, sends them, and records the outcome. Because the outbox is a table,
 * a restart loses nothing: a delivery claimed by a process that died is taken again when its lease runs out.
 */
export class DeliveryWorker {
  readonly #deps: DeliveryWorkerDeps;
  readonly #task: PeriodicTask<number>;

  constructor(deps: DeliveryWorkerDeps) {
    this.#deps = deps;
    this.#task = new PeriodicTask(
      () => this.#pass(),
      (error) => deps.log.error({ component: 'events', err: error }, 'delivery pass failed'),
    );
  }

  /** Sends what is due now; returns how many deliveries were attempted. A call during a pass queues another. */
  runOnce(): Promise<number> {
    return this.#task.runOnce({ again: true });
  }

  /** Wakes the worker now (an event was just queued). */
  nudge(): void {
    if (this.#task.started) void this.runOnce().catch(() => undefined);
  }

  start(intervalMs: number): void {
    this.#task.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.#task.stop();
  }

  async #pass(): Promise<number> {
    const d = this.#deps;
    const due = await d.repo.dueDeliveries(d.clock.now().toISOString(), 50);
    let attempted = 0;
    for (const delivery of due) {
      // The lease counts from this claim, not from the start of the pass: attempts run one after another, and a
      // lease counted from the pass's start would have run out for the later ones, letting another node send
      // them at the same time.
      const lease = new Date(d.clock.now().getTime() + d.leaseMs[delivery.channel]).toISOString();
      if (!(await d.repo.claim(delivery.id, delivery.nextAttemptAt, lease))) continue;
      attempted++;
      await this.#attempt(delivery);
    }
    return attempted;
  }

  async #attempt(delivery: Delivery): Promise<void> {
    const d = this.#deps;
    const attempts = delivery.attempts + 1;
    try {
      const event = await d.repo.findEvent(delivery.eventId);
      if (event === null) throw new Error('the event no longer exists');
      if (delivery.channel === 'webhook') await this.#sendWebhook(delivery, event);
      else await this.#sendEmail(delivery, event);
      await d.repo.settle(delivery.id, { status: 'delivered', at: d.clock.now().toISOString(), attempts });
      d.log.info(
        { component: 'events', delivery: delivery.id, channel: delivery.channel, attempts },
        'notification delivered',
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 300) : 'delivery failed';
      const giveUp = attempts >= d.retry.maxAttempts;
      const next = new Date(d.clock.now().getTime() + retryDelay(d.retry, attempts)).toISOString();
      await d.repo.settle(delivery.id, {
        status: giveUp ? 'failed' : 'pending',
        attempts,
        nextAttemptAt: next,
        error: reason,
      });
      d.log.warn(
        { component: 'events', delivery: delivery.id, channel: delivery.channel, attempts, reason, giveUp },
        giveUp ? 'notification given up' : 'notification failed; will retry',
      );
    }
  }

  async #sendWebhook(delivery: Delivery, event: PlatformEvent): Promise<void> {
    const secret = await this.#deps.events.webhookSecret(delivery.tenantId);
    if (secret === null) throw new Error('the tenant has no webhook secret any more');
    const body = webhookBody(event);
    const t = Math.floor(this.#deps.clock.now().getTime() / 1000);
    await this.#deps.webhook.post(delivery.target, body, {
      'Content-Type': 'application/json',
      'User-Agent': 'senderd-webhook/1',
      'Senderd-Event-Id': event.id,
      'Senderd-Event-Type': event.type,
      'Senderd-Delivery-Id': delivery.id,
      [SIGNATURE_HEADER]: signWebhook(secret, t, body),
    });
  }

  async #sendEmail(delivery: Delivery, event: PlatformEvent): Promise<void> {
    if (this.#deps.email === null)
      throw new Error('e-mail delivery is not configured (events.email.enabled)');
    await this.#deps.email.send({
      to: delivery.target.split(','),
      subject: `[senderd] ${event.severity === 'info' ? '' : `${event.severity.toUpperCase()}: `}${event.type}`,
      text: `${event.message}\n\nEvent ${event.id} at ${event.at}\nType: ${event.type}\nSeverity: ${event.severity}\n\n${JSON.stringify(event.data, null, 2)}\n`,
      headers: { 'X-Senderd-Event-Id': event.id },
    });
  }
}
