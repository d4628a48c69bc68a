import type { Clock, Logger } from '../core/index.ts';
import type { EventSink, NewEvent } from '../events/index.ts';

const REPEAT_EVERY_MS = 10 * 60_000;

/**
 * The events the gateway raises. A condition that holds for every message until someone acts (no key, no platform
 * domain, an operator domain as author) is raised at most once per key per 10 minutes, with a log line; a
 * per-message fact (a bounce) is raised each time. Emitting never blocks or fails a message.
 */
export class GatewayAlerts {
  readonly #events: EventSink;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #lastRaised = new Map<string, number>();

  constructor(events: EventSink, clock: Clock, log: Logger) {
    this.#events = events;
    this.#clock = clock;
    this.#log = log;
  }

  /** Raises the event unless the same key was raised in the last 10 minutes. */
  once(key: string, event: NewEvent): void {
    const now = this.#clock.now().getTime();
    const last = this.#lastRaised.get(key);
    if (last !== undefined && now - last < REPEAT_EVERY_MS) return;
    this.#lastRaised.set(key, now);
    this.#log.error({ domain: event.data.domain, type: event.type }, event.message);
    this.emit(event);
  }

  emit(event: NewEvent): void {
    this.#events
      .emit(event)
      .catch((error: unknown) => this.#log.error({ err: error }, 'emitting an event failed'));
  }
}
