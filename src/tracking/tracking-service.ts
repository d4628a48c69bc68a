/**
 * The receiving side of tracking (issues 17 and 18): what a verified link token leads to. A token names a gateway
 * message and a recipient index; the service finds that message (the edge answers only for the message's own
 * sender domain's click host), records opens and clicks with their class off the response path, unsubscribes
 * at once, and reports the figures. Events go to the tenant as `tracking.open`, `tracking.click` and
 * `gateway.recipient.unsubscribed` (the event a mailto unsubscribe raises too).
 */
import { err, ok, type Clock, type Logger, type Result } from '../core/index.ts';
import type { EventSink, NewEvent } from '../events/index.ts';
import { clientNetwork } from './client-network.ts';
import type { LinkClaims } from './link-token.ts';
import type {
  ByClass,
  DomainFigures,
  EventListQuery,
  LinkFigures,
  RecipientKey,
  StoredTrackingEvent,
  TrackingDay,
  TrackingEvent,
  TrackingRepository,
} from './model.ts';
import {
  classifyVisit,
  compileVisitRules,
  DEFAULT_VISIT_RULES,
  type CompiledRules,
  type VisitKind,
  type VisitRules,
} from './visit-classifier.ts';

/** A gateway message as tracking needs it. */
export interface TrackedMessage {
  readonly id: string;
  readonly tenantId: string;
  readonly domainId: string | null;
  readonly senderDomain: string | null;
  readonly recipients: readonly string[];
  /** Per recipient index: when it was delivered (ISO), or when the message was accepted when no delivery is known. */
  readonly deliveredAt: readonly (string | null)[];
}

/** A token's message and recipient, found and checked against the host that received it. */
export interface TrackedTarget {
  readonly message: TrackedMessage;
  readonly recipientIndex: number;
}

export interface UnsubscribeRequest {
  readonly tenantId: string;
  readonly domainId: string | null;
  readonly address: string;
  readonly at: string;
  readonly messageId: string;
  readonly evidence: string;
}

export interface TrackingServiceDeps {
  readonly repo: TrackingRepository;
  readonly messages: (id: string) => Promise<TrackedMessage | null>;
  /** Adds the unsubscribe to the suppression list; true when it was not there already. */
  readonly unsubscribe: (request: UnsubscribeRequest) => Promise<boolean>;
  readonly events: EventSink;
  readonly clock: Clock;
  readonly log: Logger;
  readonly rules?: VisitRules;
  /** Days an event is kept (the purge deletes older ones). */
  readonly retentionDays: number;
  /** Visits waiting to be recorded beyond which new ones are dropped (and counted) instead of piling up. */
  readonly maxPending?: number;
}

const MESSAGE_CACHE = 10_000;
const MESSAGE_TTL_MS = 60_000;
const MAX_UA = 512;
/** Visits recorded in one go at most, and the longest a visit waits to be recorded. */
const BATCH = 500;
const FLUSH_MS = 100;

interface PendingVisit {
  readonly target: TrackedTarget;
  readonly claims: LinkClaims;
  readonly request: VisitRequest;
  readonly at: Date;
}

export interface VisitStats {
  readonly recorded: number;
  readonly dropped: number;
  readonly failed: number;
  readonly pending: number;
}

export interface VisitRequest {
  readonly userAgent: string;
  readonly clientAddress: string;
}

const RECIPIENT_ID = /^(0|[1-9]\d{0,6})$/;

/** The target, when the message exists, belongs to the host's domain and tenant, and has that recipient. */
function targetOf(
  claims: LinkClaims,
  host: { readonly domainId: string; readonly tenantId: string },
  message: TrackedMessage | null,
): TrackedTarget | null {
  if (!RECIPIENT_ID.test(claims.recipientId)) return null;
  const recipientIndex = Number(claims.recipientId);
  if (message === null || message.domainId !== host.domainId || message.tenantId !== host.tenantId)
    return null;
  if (recipientIndex >= message.recipients.length) return null;
  return { message, recipientIndex };
}

export class TrackingService {
  readonly #d: TrackingServiceDeps;
  readonly #rules: CompiledRules;
  readonly #log: Logger;
  /** Messages by id, briefly: a message's clicks and opens come in bursts, and its recipients never change. */
  readonly #cache = new Map<string, { message: TrackedMessage; until: number }>();
  #queue: Promise<void> = Promise.resolve();
  #buffer: PendingVisit[] = [];
  #timer: NodeJS.Timeout | undefined;
  #pending = 0;
  #dropped = 0;
  #recorded = 0;
  #failed = 0;

  constructor(deps: TrackingServiceDeps) {
    this.#d = deps;
    this.#rules = compileVisitRules(deps.rules ?? DEFAULT_VISIT_RULES);
    this.#log = deps.log.child({ component: 'tracking' });
  }

  /**
   * The message and recipient a token names, when the host that received it belongs to the message's own sender
   * domain and tenant; null otherwise (the edge answers 404, as for a forged token).
   */
  async target(
    claims: LinkClaims,
    host: { readonly domainId: string; readonly tenantId: string },
  ): Promise<TrackedTarget | null> {
    const cached = this.cachedTarget(claims, host);
    if (cached !== undefined) return cached;
    return targetOf(claims, host, await this.#message(claims.messageId));
  }

  /**
   * `target` without waiting, when the message is in the cache (a message's clicks come in bursts); undefined
   * when it is not, and the store must be asked (`target`).
   */
  cachedTarget(
    claims: LinkClaims,
    host: { readonly domainId: string; readonly tenantId: string },
  ): TrackedTarget | null | undefined {
    const cached = this.#cache.get(claims.messageId);
    if (cached === undefined || cached.until <= Date.now()) return undefined;
    return targetOf(claims, host, cached.message);
  }

  /**
   * Records an open or a click without holding up the answer. Visits are gathered for up to FLUSH_MS (or
   * BATCH of them) and recorded together, in arrival order: classified, stored in one statement, then emitted.
   */
  recordVisit(target: TrackedTarget, claims: LinkClaims, request: VisitRequest): void {
    const max = this.#d.maxPending ?? 50_000;
    if (this.#pending >= max) {
      if (this.#dropped++ % 1000 === 0)
        this.#log.warn({ dropped: this.#dropped }, 'visits arrive faster than they are stored; dropping');
      return;
    }
    this.#pending++;
    this.#buffer.push({ target, claims, request, at: this.#d.clock.now() });
    if (this.#buffer.length >= BATCH) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), FLUSH_MS);
  }

  /** Resolves once every visit recorded so far is stored (for tests and for shutdown). */
  settled(): Promise<void> {
    this.#flush();
    return this.#queue;
  }

  #flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#buffer;
    if (batch.length === 0) return;
    this.#buffer = [];
    this.#queue = this.#queue
      .then(() => this.#recordBatch(batch))
      .then(
        () => {
          this.#recorded += batch.length;
        },
        (error: unknown) => {
          this.#failed += batch.length;
          this.#log.warn({ err: error, visits: batch.length }, 'could not record visits');
        },
      )
      .finally(() => {
        this.#pending -= batch.length;
      });
  }

  /** Visits dropped because the store could not keep up. */
  get dropped(): number {
    return this.#dropped;
  }

  /**
   * Opens and clicks this node answered since it started, by what became of their record: stored, shed (the
   * queue was full: the answer went out, the record did not), failed (the store refused the batch); and those
   * waiting to be stored now. For `/metrics`.
   */
  stats(): VisitStats {
    return {
      recorded: this.#recorded,
      dropped: this.#dropped,
      failed: this.#failed,
      pending: this.#pending,
    };
  }

  /**
   * RFC 8058 §3.1: the one-click POST unsubscribes at once, without sign-in or confirmation; a second POST
   * changes nothing. Returns whether this request added the suppression.
   */
  async unsubscribe(target: TrackedTarget, request: VisitRequest): Promise<boolean> {
    const { message, recipientIndex } = target;
    const address = message.recipients[recipientIndex]!;
    const at = this.#d.clock.now().toISOString();
    const network = clientNetwork(request.clientAddress);
    const added = await this.#d.unsubscribe({
      tenantId: message.tenantId,
      domainId: message.domainId,
      address,
      at,
      messageId: message.id,
      evidence: `RFC 8058 one-click POST at ${at} from ${network || 'an unknown network'} for message ${message.id}`,
    });
    if (added)
      await this.#d.events.emit({
        tenantId: message.tenantId,
        domainId: message.domainId,
        // One event type for every way a recipient unsubscribes (the mailto address too: src/complaints).
        type: 'gateway.recipient.unsubscribed',
        severity: 'info',
        message: `${address} unsubscribed (one-click) from mail of ${message.senderDomain ?? 'an unmatched domain'}.`,
        data: {
          messageId: message.id,
          recipient: address,
          recipientIndex,
          senderDomain: message.senderDomain,
          source: 'one-click',
          at,
        },
      });
    this.#log.info({ messageId: message.id, recipientIndex, added }, 'one-click unsubscribe');
    return added;
  }

  /**
   * A domain's figures over days (UTC, inclusive; the last 30 days by default): per day delivered, unique opens
   * and clicks by class, their sums, and the links by people's clicks. An empty range or one over 366 days is an
   * error.
   */
  async figures(
    tenantId: string,
    domainId: string,
    range: { from?: string; to?: string } = {},
  ): Promise<Result<DomainFigures, string>> {
    const today = this.#d.clock.now().toISOString().slice(0, 10);
    const to = range.to ?? today;
    const from =
      range.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
    if (!Number.isFinite(span) || span < 0) return err('from must be a day (YYYY-MM-DD) on or before to');
    if (span > 365) return err('a range is at most 366 days');
    const [days, links] = await Promise.all([
      this.#d.repo.days(tenantId, domainId, from, to),
      this.#d.repo.domainLinks(tenantId, domainId, from, to, 50),
    ]);
    const sum = (pick: (d: TrackingDay) => ByClass): ByClass => ({
      human: days.reduce((n, d) => n + pick(d).human, 0),
      'privacy-proxy': days.reduce((n, d) => n + pick(d)['privacy-proxy'], 0),
      scanner: days.reduce((n, d) => n + pick(d).scanner, 0),
    });
    return ok({
      from,
      to,
      totals: {
        delivered: days.reduce((n, d) => n + d.delivered, 0),
        opens: sum((d) => d.opens),
        clicks: sum((d) => d.clicks),
      },
      days,
      links,
    });
  }

  /** Per day (UTC), from `fromDay` to `toDay` inclusive: delivered, unique opens and clicks by class. */
  days(tenantId: string, domainId: string, fromDay: string, toDay: string): Promise<TrackingDay[]> {
    return this.#d.repo.days(tenantId, domainId, fromDay, toDay);
  }

  domainLinks(
    tenantId: string,
    domainId: string,
    fromDay: string,
    toDay: string,
    limit = 50,
  ): Promise<LinkFigures[]> {
    return this.#d.repo.domainLinks(tenantId, domainId, fromDay, toDay, limit);
  }

  messageLinks(tenantId: string, messageId: string): Promise<LinkFigures[]> {
    return this.#d.repo.messageLinks(tenantId, messageId);
  }

  events(tenantId: string, query: EventListQuery): Promise<StoredTrackingEvent[]> {
    return this.#d.repo.list(tenantId, query);
  }

  /** Deletes the events older than the retention setting. */
  async purge(): Promise<number> {
    const before = new Date(this.#d.clock.now().getTime() - this.#d.retentionDays * 86_400_000).toISOString();
    const deleted = await this.#d.repo.purge(before);
    if (deleted > 0) this.#log.info({ deleted, before }, 'tracking events purged');
    return deleted;
  }

  async #recordBatch(batch: readonly PendingVisit[]): Promise<void> {
    const rules = this.#rules.rules;
    const keyOf = (v: PendingVisit) => `${v.target.recipientIndex}:${v.target.message.id}`;
    // The clicks before this batch that a burst may reach back to, per message and recipient (this node's and
    // every other's: they are in the store).
    const recent = new Map<
      string,
      Array<{ id: number | null; linkIndex: number; at: number; row: number }>
    >();
    const asked: RecipientKey[] = [];
    let earliest = Infinity;
    for (const v of batch) {
      if (v.claims.kind !== 'click') continue;
      earliest = Math.min(earliest, v.at.getTime());
      const key = keyOf(v);
      if (recent.has(key)) continue;
      recent.set(key, []);
      asked.push({ messageId: v.target.message.id, recipientIndex: v.target.recipientIndex });
    }
    // One query for the whole batch (not one per recipient): a batch of a newsletter's clicks has hundreds.
    if (asked.length > 0)
      for (const c of await this.#d.repo.recentClicks(
        asked,
        new Date(earliest - rules.burstWindowMs).toISOString(),
      ))
        recent
          .get(`${c.recipientIndex}:${c.messageId}`)
          ?.push({ id: c.id, linkIndex: c.linkIndex, at: Date.parse(c.at), row: -1 });
    const rows: TrackingEvent[] = [];
    const reclassify = new Set<number>();
    for (const v of batch) {
      const { message, recipientIndex } = v.target;
      const kind: VisitKind = v.claims.kind === 'open' ? 'open' : 'click';
      const at = v.at.getTime();
      const earlier = (recent.get(keyOf(v)) ?? []).filter((c) => at - c.at <= rules.burstWindowMs);
      const delivered = message.deliveredAt[recipientIndex];
      const verdict = classifyVisit(
        {
          kind,
          at,
          userAgent: v.request.userAgent,
          clientAddress: v.request.clientAddress,
          deliveredAt: delivered === null || delivered === undefined ? null : Date.parse(delivered),
          linkIndex: v.claims.linkIndex,
          recentClicks: earlier,
        },
        this.#rules,
      );
      // The burst that made this click a scanner's began with clicks that looked like a person's: they were not.
      if (verdict.rule === 'many-links-at-once')
        for (const c of earlier) {
          if (c.id !== null) reclassify.add(c.id);
          else rows[c.row] = { ...rows[c.row]!, class: verdict.class, rule: verdict.rule };
        }
      if (kind === 'click') {
        // At most the latest 50 clicks a key: enough for the rule, and one client repeating a click costs no more.
        const list = recent.get(keyOf(v));
        list?.push({ id: null, linkIndex: v.claims.linkIndex, at, row: rows.length });
        if (list !== undefined && list.length > 100) list.splice(0, list.length - 50);
      }
      rows.push({
        tenantId: message.tenantId,
        domainId: message.domainId,
        senderDomain: message.senderDomain,
        messageId: message.id,
        recipientIndex,
        kind,
        linkIndex: kind === 'click' ? v.claims.linkIndex : 0,
        url: kind === 'click' ? v.claims.url : '',
        at: v.at.toISOString(),
        clientNetwork: clientNetwork(v.request.clientAddress),
        userAgent: v.request.userAgent.slice(0, MAX_UA),
        class: verdict.class,
        rule: verdict.rule,
      });
    }
    await this.#d.repo.insertAll(rows);
    if (reclassify.size > 0)
      await this.#d.repo.reclassify([...reclassify], { class: 'scanner', rule: 'many-links-at-once' });
    const events = rows.map((row, i): NewEvent => ({
      tenantId: row.tenantId,
      domainId: row.domainId,
      type: `tracking.${row.kind}`,
      severity: 'info',
      message:
        row.kind === 'click'
          ? `Link ${row.linkIndex} of message ${row.messageId} clicked (${row.class}).`
          : `Message ${row.messageId} opened (${row.class}).`,
      data: {
        messageId: row.messageId,
        recipient: batch[i]!.target.message.recipients[row.recipientIndex],
        recipientIndex: row.recipientIndex,
        senderDomain: row.senderDomain,
        ...(row.kind === 'click' ? { linkIndex: row.linkIndex, url: row.url } : {}),
        class: row.class,
        rule: row.rule,
        at: row.at,
      },
    }));
    // Kept as platform events only where the tenant's webhook or e-mail takes them: the visits themselves are in
    // tracking_events, which the retention purge empties; a row per visit in the event list would not be.
    if (this.#d.events.emitAll !== undefined) await this.#d.events.emitAll(events, { onlyDelivered: true });
    else for (const event of events) await this.#d.events.emit(event);
  }

  async #message(id: string): Promise<TrackedMessage | null> {
    const now = Date.now();
    const cached = this.#cache.get(id);
    if (cached !== undefined && cached.until > now) return cached.message;
    const message = await this.#d.messages(id);
    if (message === null) return null;
    if (this.#cache.size >= MESSAGE_CACHE) this.#cache.clear();
    this.#cache.set(id, { message, until: now + MESSAGE_TTL_MS });
    return message;
  }
}
