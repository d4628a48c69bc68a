import type { SealedSecret } from '../secrets/index.ts';
import type { EventSeverity, PlatformEvent } from './model.ts';

export type DeliveryChannel = 'webhook' | 'email';

/** One notification in the outbox: an event on its way to one channel. */
export interface Delivery {
  readonly id: string;
  readonly eventId: string;
  readonly tenantId: string;
  readonly channel: DeliveryChannel;
  /** The webhook URL, or the e-mail recipients separated by commas. */
  readonly target: string;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly deliveredAt: string | null;
  readonly createdAt: string;
}

/** A delivery with the type of the event it carries, for the list of a tenant's latest deliveries. */
export interface DeliveryOfEvent extends Delivery {
  readonly eventType: string;
}

export interface NotificationSettings {
  readonly tenantId: string;
  readonly webhookUrl: string | null;
  readonly webhookSecret: SealedSecret | null;
  readonly emailTo: readonly string[];
  /** Events below this severity are stored and listed but not delivered. */
  readonly minSeverity: EventSeverity;
  readonly updatedAt: string;
}

export interface EventQuery {
  readonly since?: string;
  readonly type?: string;
  readonly limit: number;
}

/** What the events capability needs from the store. */
export interface EventRepository {
  /** Stores the event and its outbox rows in one transaction: a notification is never half-recorded. */
  insert(event: PlatformEvent, deliveries: readonly Delivery[]): Promise<void>;
  /** Stores many events with their outbox rows in one transaction. */
  insertAll(
    items: readonly { readonly event: PlatformEvent; readonly deliveries: readonly Delivery[] }[],
  ): Promise<void>;
  list(tenantId: string, query: EventQuery): Promise<PlatformEvent[]>;
  findEvent(eventId: string): Promise<PlatformEvent | null>;
  settings(tenantId: string): Promise<NotificationSettings | null>;
  saveSettings(settings: NotificationSettings): Promise<void>;
  /** Pending deliveries whose time has come, oldest first. */
  dueDeliveries(now: string, limit: number): Promise<Delivery[]>;
  /** Takes a delivery for `leaseUntil` if nobody else did (compare-and-set on next_attempt_at). */
  claim(id: string, seenNextAttemptAt: string, leaseUntil: string): Promise<boolean>;
  settle(
    id: string,
    outcome:
      | { readonly status: 'delivered'; readonly at: string; readonly attempts: number }
      | {
          readonly status: 'pending' | 'failed';
          readonly attempts: number;
          readonly nextAttemptAt: string;
          readonly error: string;
        },
  ): Promise<void>;
  deliveriesOf(eventId: string): Promise<Delivery[]>;
  /** The tenant's latest deliveries, newest first (their status is the "last delivery" an owner looks for). */
  recentDeliveries(tenantId: string, limit: number): Promise<DeliveryOfEvent[]>;
  webhookSecretsNotUnder(kekId: string): Promise<Array<{ tenantId: string; secret: SealedSecret }>>;
  rewrapWebhookSecret(tenantId: string, fromKekId: string, to: SealedSecret): Promise<boolean>;
}
