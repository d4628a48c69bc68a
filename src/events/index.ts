/** Events per tenant: the model and the port capabilities emit through. */
export type { EventSeverity, EventSink, NewEvent, PlatformEvent } from './model.ts';
