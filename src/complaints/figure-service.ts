/**
 * The figures per domain per day (figures.ts) for the API, CLI and dashboard, and the complaint-rate events: after
 * each new complaint the domain's day is counted again, and each threshold it has reached for the first time that
 * day becomes one `gateway.domain.complaint-rate` event (the store remembers the crossing, so a busy day of
 * complaints sends one event per threshold, not one per complaint).
 */
import type { Clock, Logger } from '../core/index.ts';
import type { EventSink } from '../events/index.ts';
import { thresholdsReached, withRate, type DayFigures, type FigureRepository } from './figures.ts';
import type { FeedbackRecord } from './model.ts';

export interface FigureSettings {
  /** Deliveries a day needs before its complaint rate counts (docs/complaints.md). */
  readonly minimumDelivered: number;
}

const DAY_MS = 86_400_000;

export class FigureService {
  readonly #repo: FigureRepository;
  readonly #events: EventSink;
  readonly #settings: FigureSettings;
  readonly #clock: Clock;
  readonly #log: Logger;

  constructor(deps: {
    repo: FigureRepository;
    events: EventSink;
    settings: FigureSettings;
    clock: Clock;
    log: Logger;
  }) {
    this.#repo = deps.repo;
    this.#events = deps.events;
    this.#settings = deps.settings;
    this.#clock = deps.clock;
    this.#log = deps.log.child({ component: 'complaints' });
  }

  get minimumDelivered(): number {
    return this.#settings.minimumDelivered;
  }

  /** The last `days` days up to today (UTC), oldest first; days without any count are left out. */
  async domainDays(tenantId: string, domainId: string, days: number): Promise<DayFigures[]> {
    const now = this.#clock.now().getTime();
    const toDay = new Date(now).toISOString().slice(0, 10);
    const fromDay = new Date(now - (days - 1) * DAY_MS).toISOString().slice(0, 10);
    const counts = await this.#repo.domainDays(tenantId, domainId, fromDay, toDay);
    return counts.map((c) => withRate(c, this.#settings.minimumDelivered));
  }

  /** After a new complaint: an event for each threshold the domain's day reaches for the first time. */
  async checkComplaintRate(record: FeedbackRecord): Promise<void> {
    if (record.tenantId === null || record.domainId === null) return;
    const day = record.at.slice(0, 10);
    const [counts] = await this.#repo.domainDays(record.tenantId, record.domainId, day, day);
    if (counts === undefined) return;
    for (const threshold of thresholdsReached(counts, this.#settings.minimumDelivered)) {
      const label = `${threshold * 100}%`;
      if (!(await this.#repo.markCrossing(record.domainId, day, label, this.#clock.now().toISOString())))
        continue;
      const rate = counts.complaints / counts.delivered;
      this.#log.warn({ domainId: record.domainId, day, threshold: label, rate }, 'complaint rate crossed');
      await this.#events.emit({
        tenantId: record.tenantId,
        domainId: record.domainId,
        type: 'gateway.domain.complaint-rate',
        severity: threshold >= 0.003 ? 'critical' : 'warning',
        message: `The complaint rate of ${day} reached ${(rate * 100).toFixed(2)}% (${counts.complaints} complaints, ${counts.delivered} delivered), at or above ${label}${threshold >= 0.003 ? ', the line the large receivers hold senders to' : ''}`,
        data: {
          day,
          threshold,
          rate,
          complaints: counts.complaints,
          delivered: counts.delivered,
        },
      });
    }
  }
}
