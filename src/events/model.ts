/**
 * Platform events: things a tenant should know about (a key was published or activated, a DNS record broke or
 * was fixed, a rollout step was taken, a message bounced). Stored per tenant, listed by API and CLI, and delivered
 * by webhook and e-mail.
 */
export type EventSeverity = 'info' | 'warning' | 'critical';

export interface NewEvent {
  readonly tenantId: string;
  /** The sender domain it concerns, if any. */
  readonly domainId: string | null;
  /** Dotted, stable type names: `dkim.key.activated`, `checks.record.broken`, `dmarc.step.advanced`. */
  readonly type: string;
  readonly severity: EventSeverity;
  /** A sentence for a person. Never contains secrets. */
  readonly message: string;
  /** Machine-readable details (JSON-serialisable). */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface PlatformEvent extends NewEvent {
  readonly id: string;
  readonly at: string;
}

/** Where capabilities send their events. The events capability stores and delivers them. */
export interface EventSink {
  emit(event: NewEvent): Promise<void>;
  /**
   * Several events at once (a batch of opens and clicks), stored in one transaction where the sink can. A sink
   * without it gets `emit` per event.
   */
  emitAll?(events: readonly NewEvent[], options?: EmitOptions): Promise<void>;
}

export interface EmitOptions {
  /**
   * Keep an event only where it goes somewhere (the tenant's webhook or e-mail take it): for events that are
   * records of their own capability's table, such as opens and clicks (tracking_events, purged after
   * `tracking.retentionDays`), which would otherwise add a row per visit to the tenant's event list and keep the
   * recipient's address there for good.
   */
  readonly onlyDelivered?: boolean;
}
