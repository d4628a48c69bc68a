import { z } from 'zod';
import { AppError, randomBase32, type Clock, type RandomSource } from '../core/index.ts';
import { openSecret, sealSecret, type KekSource } from '../secrets/index.ts';
import type { EmitOptions, EventSeverity, EventSink, NewEvent, PlatformEvent } from './model.ts';
import type { Delivery, DeliveryOfEvent, EventRepository, NotificationSettings } from './ports.ts';
import { specialPurposeAddress } from '../ip/index.ts';

const SEVERITY_RANK: Record<EventSeverity, number> = { info: 0, warning: 1, critical: 2 };

export const notificationInput = z.strictObject({
  webhookUrl: z
    .url({ protocol: /^https?$/, message: 'must be an http or https URL' })
    .max(2000)
    .nullable()
    .optional()
    .describe('Where events are POSTed, signed with HMAC-SHA256; null turns webhooks off.'),
  emailTo: z.array(z.email()).max(10).optional().describe('Who gets events by e-mail.'),
  minSeverity: z
    .enum(['info', 'warning', 'critical'])
    .optional()
    .describe('Deliver only events at least this severe.'),
  rotateSecret: z.boolean().optional().describe('Draw a new webhook secret (shown once).'),
});

export interface NotificationView {
  readonly webhookUrl: string | null;
  readonly webhookSecretSet: boolean;
  readonly emailTo: readonly string[];
  readonly minSeverity: EventSeverity;
}

export function webhookSecretAad(tenantId: string): string {
  return `senderd:webhook-secret:v1:${tenantId}`;
}

export interface EventServiceDeps {
  readonly repo: EventRepository;
  readonly kek: KekSource;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Called after an event is stored with deliveries, so the worker can send it without waiting for its tick. */
  readonly onQueued?: () => void;
  /** Accept webhook URLs on private, local or reserved addresses (events.allowPrivateWebhooks). */
  readonly allowPrivateWebhooks?: boolean;
}

/** Stores events per tenant, lists them, and queues their delivery in the outbox (same transaction). */
export class EventService implements EventSink {
  readonly #deps: EventServiceDeps;

  constructor(deps: EventServiceDeps) {
    this.#deps = deps;
  }

  async emit(event: NewEvent): Promise<void> {
    await this.#record(event, false);
  }

  /**
   * Sends a `notifications.test` event to the tenant's webhook and e-mail recipients, whatever the minimum
   * severity, so an owner can see a delivery arrive (or why it did not). Refused when there is nowhere to send.
   */
  async sendTest(tenantId: string): Promise<{ event: PlatformEvent; deliveries: Delivery[] }> {
    const settings = await this.#deps.repo.settings(tenantId);
    if (settings === null || (settings.webhookUrl === null && settings.emailTo.length === 0)) {
      throw new AppError(
        'validation_failed',
        'There is nowhere to send a test event: set a webhook URL or an e-mail address first.',
        [{ path: 'webhookUrl', message: 'no webhook URL and no e-mail recipient', reason: 'no_channel' }],
      );
    }
    return this.#record(
      {
        tenantId,
        domainId: null,
        type: 'notifications.test',
        severity: 'info',
        message: 'A test event, sent from the notification settings. No action is needed.',
        data: {},
      },
      true,
    );
  }

  /** The tenant's latest deliveries with their status and last error, newest first. */
  recentDeliveries(tenantId: string, limit = 10): Promise<DeliveryOfEvent[]> {
    return this.#deps.repo.recentDeliveries(tenantId, Math.min(Math.max(limit, 1), 100));
  }

  /**
   * Many events in one transaction (a batch of opens and clicks): the same rows `emit` would write, with each
   * tenant's settings read once. With `onlyDelivered`, an event no channel takes is not stored.
   */
  async emitAll(events: readonly NewEvent[], options: EmitOptions = {}): Promise<void> {
    if (events.length === 0) return;
    const settings = new Map<string, NotificationSettings | null>();
    const items: Array<{ event: PlatformEvent; deliveries: Delivery[] }> = [];
    for (const event of events) {
      if (!settings.has(event.tenantId))
        settings.set(event.tenantId, await this.#deps.repo.settings(event.tenantId));
      const tenantSettings = settings.get(event.tenantId) ?? null;
      if (options.onlyDelivered === true && !delivers(tenantSettings, event.severity)) continue;
      items.push(this.#rows(event, tenantSettings, false));
    }
    await this.#deps.repo.insertAll(items);
    if (items.some((i) => i.deliveries.length > 0)) this.#deps.onQueued?.();
  }

  async #record(
    event: NewEvent,
    everySeverity: boolean,
  ): Promise<{ event: PlatformEvent; deliveries: Delivery[] }> {
    const settings = await this.#deps.repo.settings(event.tenantId);
    const { event: stored, deliveries } = this.#rows(event, settings, everySeverity);
    await this.#deps.repo.insert(stored, deliveries);
    if (deliveries.length > 0) this.#deps.onQueued?.();
    return { event: stored, deliveries };
  }

  /** The event as stored and its outbox rows, one per channel the tenant's settings send it to. */
  #rows(
    event: NewEvent,
    settings: NotificationSettings | null,
    everySeverity: boolean,
  ): { event: PlatformEvent; deliveries: Delivery[] } {
    const at = this.#deps.clock.now().toISOString();
    const stored: PlatformEvent = { ...event, id: `evt_${randomBase32(this.#deps.random, 20)}`, at };
    const deliveries: Delivery[] = [];
    if (settings !== null && (everySeverity || delivers(settings, event.severity))) {
      const row = (channel: Delivery['channel'], target: string): Delivery => ({
        id: `dlv_${randomBase32(this.#deps.random, 20)}`,
        eventId: stored.id,
        tenantId: event.tenantId,
        channel,
        target,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        lastError: null,
        deliveredAt: null,
        createdAt: at,
      });
      if (settings.webhookUrl !== null && settings.webhookSecret !== null)
        deliveries.push(row('webhook', settings.webhookUrl));
      if (settings.emailTo.length > 0) deliveries.push(row('email', settings.emailTo.join(',')));
    }
    return { event: stored, deliveries };
  }

  list(
    tenantId: string,
    query: { since?: string; type?: string; limit?: number } = {},
  ): Promise<PlatformEvent[]> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    if (query.since === undefined) return this.#deps.repo.list(tenantId, { ...query, limit });
    // Stored times are UTC ISO strings compared as text: a time in another form (a zone offset, a date only)
    // is normalised first, and one that is no time at all is refused rather than matching nothing.
    const since = Date.parse(query.since);
    if (Number.isNaN(since)) {
      throw new AppError('validation_failed', `"${query.since}" is not a time.`, [
        {
          path: 'since',
          message: 'use an ISO 8601 time such as 2026-11-22T10:00:00Z, or a date such as 2026-11-22',
        },
      ]);
    }
    return this.#deps.repo.list(tenantId, { ...query, since: new Date(since).toISOString(), limit });
  }

  async notifications(tenantId: string): Promise<NotificationView> {
    return viewOf(await this.#deps.repo.settings(tenantId));
  }

  /** Changes where a tenant's events go. A new webhook secret is returned once, and never again. */
  async setNotifications(
    tenantId: string,
    input: unknown,
  ): Promise<NotificationView & { webhookSecret?: string }> {
    const parsed = notificationInput.safeParse(input ?? {});
    if (!parsed.success) {
      throw new AppError(
        'validation_failed',
        'The notification settings are invalid.',
        parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      );
    }
    if (typeof parsed.data.webhookUrl === 'string' && this.#deps.allowPrivateWebhooks !== true) {
      const refused = specialPurposeAddress(new URL(parsed.data.webhookUrl).hostname.replace(/^\[|\]$/g, ''));
      if (refused !== null) {
        throw new AppError(
          'validation_failed',
          `The webhook URL is refused: ${refused}; webhooks go to public addresses only.`,
          [{ path: 'webhookUrl', message: refused, reason: 'private_address' }],
        );
      }
    }
    const current = await this.#deps.repo.settings(tenantId);
    const webhookUrl =
      parsed.data.webhookUrl === undefined ? (current?.webhookUrl ?? null) : parsed.data.webhookUrl;
    let secret = current?.webhookSecret ?? null;
    let shown: string | undefined;
    if (webhookUrl !== null && (secret === null || parsed.data.rotateSecret === true)) {
      shown = `whsec_${randomBase32(this.#deps.random, 32)}`;
      secret = sealSecret(Buffer.from(shown, 'utf8'), webhookSecretAad(tenantId), this.#deps.kek.keys());
    }
    const settings: NotificationSettings = {
      tenantId,
      webhookUrl,
      webhookSecret: webhookUrl === null ? null : secret,
      emailTo: parsed.data.emailTo ?? current?.emailTo ?? [],
      minSeverity: parsed.data.minSeverity ?? current?.minSeverity ?? 'info',
      updatedAt: this.#deps.clock.now().toISOString(),
    };
    await this.#deps.repo.saveSettings(settings);
    return { ...viewOf(settings), ...(shown !== undefined ? { webhookSecret: shown } : {}) };
  }

  /** The webhook secret in clear, for signing a delivery. Internal: never returned by the API after creation. */
  async webhookSecret(tenantId: string): Promise<string | null> {
    const settings = await this.#deps.repo.settings(tenantId);
    if (settings?.webhookSecret == null) return null;
    const opened = openSecret(settings.webhookSecret, webhookSecretAad(tenantId), this.#deps.kek.keys());
    if (!opened.ok)
      throw new AppError(
        'internal',
        `The webhook secret of tenant ${tenantId} did not decrypt (${opened.error}).`,
      );
    return opened.value.toString('utf8');
  }

  /** Re-seals webhook secrets under the current KEK (part of `senderd kek rotate`). */
  async rewrapSecrets(): Promise<{ rewrapped: number; failed: string[]; remaining: number }> {
    const keys = this.#deps.kek.keys();
    const rows = await this.#deps.repo.webhookSecretsNotUnder(keys.current.id);
    let rewrapped = 0;
    const failed: string[] = [];
    for (const row of rows) {
      const aad = webhookSecretAad(row.tenantId);
      const opened = openSecret(row.secret, aad, keys);
      if (!opened.ok) {
        failed.push(row.tenantId);
        continue;
      }
      if (
        await this.#deps.repo.rewrapWebhookSecret(
          row.tenantId,
          row.secret.kekId,
          sealSecret(opened.value, aad, keys),
        )
      )
        rewrapped++;
    }
    const remaining = (await this.#deps.repo.webhookSecretsNotUnder(keys.current.id)).length;
    return { rewrapped, failed, remaining };
  }
}

/** Whether the tenant's settings send an event of this severity anywhere (a webhook or e-mail). */
function delivers(settings: NotificationSettings | null, severity: EventSeverity): boolean {
  if (settings === null || SEVERITY_RANK[severity] < SEVERITY_RANK[settings.minSeverity]) return false;
  return (settings.webhookUrl !== null && settings.webhookSecret !== null) || settings.emailTo.length > 0;
}

function viewOf(s: NotificationSettings | null): NotificationView {
  return {
    webhookUrl: s?.webhookUrl ?? null,
    webhookSecretSet: s?.webhookSecret != null,
    emailTo: s?.emailTo ?? [],
    minSeverity: s?.minSeverity ?? 'info',
  };
}
