/**
 * Part of the composition root: tracking's receiving side in one block (src/tracking): the link-token keys (a
 * platform secret sealed like the VERP key), the service over the store, the gateway's message trace and the
 * suppression list, and its routes on the click host, added to the edge's route table before the edge starts.
 */
import type { Config } from './config/index.ts';
import type { EventSink } from './events/index.ts';
import type { RouteTable } from './edge/index.ts';
import type { NodeRuntime } from './runtime.ts';
import { platformSecret, type KekSource } from './secrets/index.ts';
import type { Store } from './store/index.ts';
import type { SuppressionService } from './suppression/index.ts';
import {
  TrackingService,
  trackingRoutes,
  type LinkTokenKeys,
  type TrackedMessage,
  type UnsubscribeRequest,
} from './tracking/index.ts';

export interface TrackingServices {
  readonly service: TrackingService;
  /** Read from the store once, on first use. */
  readonly keys: () => Promise<LinkTokenKeys>;
}

export function trackingServices(
  config: Config,
  d: {
    store: Store;
    kek: KekSource;
    events: EventSink;
    suppressions: SuppressionService;
    routes: RouteTable;
  },
  runtime: NodeRuntime,
): TrackingServices {
  let keys: Promise<LinkTokenKeys> | undefined;
  // One key (id 1) for now; a rotation adds the next id as `current` and keeps this one in `previous`.
  const keysOnce = () =>
    (keys ??= platformSecret(d.store.platformSecrets, d.kek, 'links', {
      random: runtime.random,
      now: () => runtime.clock.now().toISOString(),
    }).then((secret) => ({ current: { id: 1, secret } })));
  const service = new TrackingService({
    repo: d.store.tracking,
    messages: (id) => trackedMessage(d.store, id),
    unsubscribe: (u) => recordOneClick(d, u),
    events: d.events,
    clock: runtime.clock,
    log: runtime.log,
    retentionDays: config.tracking.retentionDays,
  });
  d.routes.add(...trackingRoutes({ keys: keysOnce, service }));
  return { service, keys: keysOnce };
}

/**
 * A one-click unsubscribe kept as the mailto one is (src/complaints/unsubscribe-intake.ts): a feedback record, so
 * the domain's daily figures count it, and a suppression. True when either is new (the event is raised then).
 */
async function recordOneClick(
  d: { store: Store; suppressions: SuppressionService },
  u: UnsubscribeRequest,
): Promise<boolean> {
  const fresh = await d.store.feedback.insert({
    kind: 'unsubscribe',
    tenantId: u.tenantId,
    domainId: u.domainId,
    messageId: u.messageId,
    recipient: u.address,
    at: u.at,
    matchedBy: 'one-click',
    feedbackType: null,
    userAgent: null,
    reporter: null,
    evidence: u.evidence,
  });
  const suppressed = await d.suppressions.recordFeedback({
    tenantId: u.tenantId,
    recipient: u.address,
    reason: 'unsubscribe',
    source: 'one-click',
    at: u.at,
    evidence: u.evidence,
    messageId: u.messageId,
  });
  return fresh || suppressed !== null;
}

/** A gateway message as tracking sees it: recipients by index, and when each was delivered. */
async function trackedMessage(store: Store, id: string): Promise<TrackedMessage | null> {
  const message = await store.gateway.messageById(id);
  if (message === null) return null;
  const attempts = (await store.gateway.findMessage(message.tenantId, id))?.attempts ?? [];
  return {
    id: message.id,
    tenantId: message.tenantId,
    domainId: message.domainId,
    senderDomain: message.senderDomain,
    recipients: message.recipients.map((r) => r.address),
    deliveredAt: message.recipients.map(
      (r) =>
        attempts.find((a) => a.recipient === r.address && a.status === 'delivered')?.at ?? message.acceptedAt,
    ),
  };
}
