/**
 * What came back from a domain's mail, per UTC day: sent (recipients accepted), delivered, bounced by class,
 * complaints, unsubscribes, and the complaint rate. The rate is complaints over delivered, the measure of the
 * large receivers' sender rules (Gmail, Yahoo, since February 2024; Microsoft since May 2025: keep it under 0.3%,
 * and under 0.1% to be safe). A day with fewer than a minimum of deliveries has no rate: one complaint among ten
 * messages is not a signal, and an event on it would be noise.
 */

export interface DayCounts {
  /** YYYY-MM-DD, UTC. */
  readonly day: string;
  /** Recipients of the messages the gateway accepted that day. */
  readonly sent: number;
  /** Delivery attempts the next hop accepted that day. */
  readonly delivered: number;
  readonly hard: number;
  readonly soft: number;
  readonly block: number;
  readonly unknown: number;
  readonly complaints: number;
  readonly unsubscribes: number;
}

export interface DayFigures extends DayCounts {
  /** complaints / delivered; null below the minimum of deliveries. */
  readonly complaintRate: number | null;
}

/** What the figures need from the store. */
export interface FigureRepository {
  /** The days of `fromDay` to `toDay` (inclusive) that have any count, oldest first. */
  domainDays(tenantId: string, domainId: string, fromDay: string, toDay: string): Promise<DayCounts[]>;
  /** Records that the domain's day crossed `threshold`; false when it was already recorded. */
  markCrossing(domainId: string, day: string, threshold: string, now: string): Promise<boolean>;
}

/** The thresholds that raise an event: 0.1% (warning) and 0.3% (the receivers' line, critical). */
export const COMPLAINT_RATE_THRESHOLDS = [0.001, 0.003] as const;

export function complaintRate(c: DayCounts, minimumDelivered: number): number | null {
  if (c.delivered < minimumDelivered || c.delivered === 0) return null;
  return c.complaints / c.delivered;
}

export function withRate(c: DayCounts, minimumDelivered: number): DayFigures {
  return { ...c, complaintRate: complaintRate(c, minimumDelivered) };
}

/** The thresholds the day's rate is at or above. */
export function thresholdsReached(c: DayCounts, minimumDelivered: number): number[] {
  const rate = complaintRate(c, minimumDelivered);
  return rate === null ? [] : COMPLAINT_RATE_THRESHOLDS.filter((t) => rate >= t);
}
