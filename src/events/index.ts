/** Events per tenant: the model, the port capabilities emit through, storage, listing and delivery. */
export type { EmitOptions, EventSeverity, EventSink, NewEvent, PlatformEvent } from './model.ts';
export type {
  Delivery,
  DeliveryChannel,
  DeliveryOfEvent,
  EventQuery,
  EventRepository,
  NotificationSettings,
} from './ports.ts';
export { EventService, notificationInput, webhookSecretAad } from './event-service.ts';
export type { EventServiceDeps, NotificationView } from './event-service.ts';
export { DeliveryWorker, retryDelay, webhookBody } from './delivery-worker.ts';
export type { DeliveryWorkerDeps, EmailTransport, RetryPolicy, WebhookTransport } from './delivery-worker.ts';
export { guardedLookup, httpWebhookTransport, smtpEmailTransport } from './transports.ts';
export type { SmtpOptions } from './transports.ts';
export { signWebhook, verifyWebhookSignature, SIGNATURE_HEADER } from './webhook-signature.ts';
