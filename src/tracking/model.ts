/**
 * What tracking stores and reports: one row per open or click (client network truncated, never the recipient's
 * address), the figures per domain per day and per link, and the port the store implements.
 */
import type { VisitClass, VisitKind } from './visit-classifier.ts';

export interface TrackingEvent {
  readonly tenantId: string;
  readonly domainId: string | null;
  readonly senderDomain: string | null;
  readonly messageId: string;
  /** The recipient's index in the message's stored recipient list: the address stays in the gateway's trace. */
  readonly recipientIndex: number;
  readonly kind: VisitKind;
  /** 0 for an open. */
  readonly linkIndex: number;
  /** The target of a click; '' for an open. */
  readonly url: string;
  readonly at: string;
  /** `192.0.2.0/24` or `2001:db8:1::/48` (client-network.ts); '' when unknown. */
  readonly clientNetwork: string;
  /** At most 512 characters. */
  readonly userAgent: string;
  readonly class: VisitClass;
  /** The classifier rule that decided (`none` for a person). */
  readonly rule: string;
}

export interface StoredTrackingEvent extends TrackingEvent {
  readonly id: number;
}

/** Counts per class. */
export type ByClass = Readonly<Record<VisitClass, number>>;

/** One day (UTC) of a domain. Opens and clicks are unique: one per message and recipient. */
export interface TrackingDay {
  readonly day: string;
  /** Recipients delivered that day, from the gateway's delivery attempts. */
  readonly delivered: number;
  readonly opens: ByClass;
  readonly clicks: ByClass;
}

/** A link's clicks: unique (message, recipient) pairs by class, and every click by a person. */
export interface LinkFigures {
  readonly url: string;
  /** For one message's links; null over a domain, where one URL may sit at different positions. */
  readonly linkIndex: number | null;
  readonly unique: ByClass;
  readonly humanClicks: number;
}

/** A domain's figures over a range of days: each day, the sums of the days, and the links. */
export interface DomainFigures {
  readonly from: string;
  readonly to: string;
  /** Sums over the days (a recipient who opened on two days counts on both). */
  readonly totals: { readonly delivered: number; readonly opens: ByClass; readonly clicks: ByClass };
  readonly days: readonly TrackingDay[];
  readonly links: readonly LinkFigures[];
}

export interface EventListQuery {
  readonly domainId?: string;
  readonly messageId?: string;
  readonly limit: number;
}

/** One recipient of one message: the message id and the index in its recipients. */
export interface RecipientKey {
  readonly messageId: string;
  readonly recipientIndex: number;
}

/** What tracking needs from the store. Every read is scoped to a tenant. */
export interface TrackingRepository {
  insert(event: TrackingEvent): Promise<number>;
  /** Stores events in as few statements as the bind limits allow, in one transaction. */
  insertAll(events: readonly TrackingEvent[]): Promise<void>;
  /**
   * The clicks of these messages' recipients at or after `since`, each recipient's oldest first, in one query for a batch of
   * visits: at most the latest 50 per recipient (enough for the burst rule; a client repeating one click
   * thousands of times costs no more).
   */
  recentClicks(
    recipients: readonly RecipientKey[],
    since: string,
  ): Promise<Array<RecipientKey & { readonly id: number; readonly linkIndex: number; readonly at: string }>>;
  /** Gives these events another class (a burst found later shows its first clicks were a scanner's too). */
  reclassify(ids: readonly number[], verdict: { class: VisitClass; rule: string }): Promise<void>;
  /** Days from `fromDay` to `toDay` (YYYY-MM-DD, inclusive) that have deliveries or events. */
  days(tenantId: string, domainId: string, fromDay: string, toDay: string): Promise<TrackingDay[]>;
  /** Links of a domain's clicks within the days, most clicked by people first. */
  domainLinks(
    tenantId: string,
    domainId: string,
    fromDay: string,
    toDay: string,
    limit: number,
  ): Promise<LinkFigures[]>;
  /** The links of one message, most clicked by people first. */
  messageLinks(tenantId: string, messageId: string): Promise<LinkFigures[]>;
  list(tenantId: string, query: EventListQuery): Promise<StoredTrackingEvent[]>;
  /** Deletes events before `before`; returns how many. */
  purge(before: string): Promise<number>;
}
