import type { Clock, Logger } from '../core/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import type { DnsRepository, ZoneSource } from './ports.ts';
import type { ResourceRecord } from './resource-record.ts';
import { settleSerial } from './serial-ledger.ts';
import { nextSerial } from './serial.ts';
import { toWireRecord } from './wire-record.ts';
import { hostedZoneRecords, platformRecords, soaRecord, type ZoneSettings } from './zone-builder.ts';
import {
  condense,
  decodeJournalEntry,
  encodeJournalEntry,
  journalPath,
  type JournalEntry,
} from './zone-journal.ts';
import { Zone, type ZoneDiff } from './zone.ts';

/**
 * Keeps the zone in step with the store. It builds the whole zone once, then watches the append-only change
 * log: a `domain` change recomputes that domain's records, a `platform` change (and a periodic resync, as a
 * safety net) recomputes everything, but only contributors whose records changed are rewritten. When the
 * content changes the serial rises in the same tick as the records (so no one sees new records under an old
 * serial), is stored, the difference is added to the journal (IXFR, RFC 1995), and `onPublish` fires (NOTIFY).
 */
export interface ZoneKeeperOptions {
  readonly settings: ZoneSettings;
  readonly source: ZoneSource;
  readonly repo: DnsRepository;
  readonly clock: Clock;
  readonly log: Logger;
  readonly pollIntervalMs: number;
  readonly resyncIntervalMs: number;
  /** Bounds of the IXFR journal; null keeps none (every IXFR then gets the whole zone). */
  readonly journal?: { readonly maxBytes: number; readonly maxAgeMs: number } | null;
  /** Called after a new serial is stored (and journalled), with the new SOA. */
  readonly onPublish?: (soa: ResourceRecord) => void;
}

/**
 * Change ids are re-read this far back on every poll: with PostgreSQL a transaction may commit after one with
 * a higher id, and its row must still be seen. Rows already handled are skipped by id.
 */
const LOOKBACK = 128;
/** Domains planned at once when a source plans them one by one. */
const CONCURRENCY = 32;
/** Domains read and planned together by a source that can (ZoneSource.listDomainsAfter, hostedRecordsOf). */
const BATCH = 500;

/** A version published but not yet stored or journalled (the store failed): finished at the next poll. */
interface Unsettled {
  readonly fromSerial: number;
  readonly soaFrom: ResourceRecord;
  readonly diff: ZoneDiff | null;
}

export class ZoneKeeper {
  readonly zone: Zone;
  readonly #o: ZoneKeeperOptions;
  #serial = 0;
  #digest = '';
  #watermark = 0;
  readonly #handled = new Set<number>();
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();
  #lastResync = 0;
  #stopped = false;
  /** Domains whose planning failed: tried again at every poll. */
  readonly #failed = new Set<string>();
  #unsettled: Unsettled | null = null;

  constructor(options: ZoneKeeperOptions) {
    this.#o = options;
    this.zone = new Zone(options.settings.apex);
  }

  get serial(): number {
    return this.#serial;
  }

  /** The newest change-log id handled: changes up to it are in the zone, under a stored serial. */
  get watermark(): number {
    return this.#watermark;
  }

  /** Builds the whole zone and settles its serial; call once before serving. */
  async load(): Promise<void> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    // The watermark is taken first, so a change made while we read is seen by the next poll.
    this.#watermark = await this.#o.repo.latestChangeId();
    this.zone.reserve((await this.#o.source.countDomains?.()) ?? 0);
    this.zone.replace('platform', platformRecords(this.#o.settings));
    const domains = await this.#plan((id, records) => this.zone.replace(`domain:${id}`, records));
    this.zone.setSoa(soaRecord(this.#o.settings, this.#serial));
    this.#digest = this.zone.digest();
    this.#serial = await settleSerial(this.#o.repo, this.#o.settings.apex, this.#digest, null, () =>
      this.#o.clock.now(),
    );
    this.zone.setSoa(soaRecord(this.#o.settings, this.#serial));
    if (this.#journalling) this.zone.beginChanges();
    this.#lastResync = this.#o.clock.now().getTime();
    const usage = this.zone.arena.usage;
    this.#o.log.info(
      {
        domains,
        names: this.zone.size,
        serial: this.#serial,
        ms: Math.round(performance.now() - started),
        // CPU time of the whole process while building: what the build costs when other work shares the CPU.
        cpuMs: Math.round(((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpu))),
        rssMb: Math.round(process.memoryUsage().rss / 1e6),
        arenaMb: Math.round(usage.used / 1e6),
      },
      'zone built',
    );
  }

  get #journalling(): boolean {
    return (this.#o.journal?.maxBytes ?? 0) > 0;
  }

  /** Starts watching the change log. */
  start(): void {
    const tick = () => {
      this.#round = this.poll()
        .catch((error: unknown) => this.#o.log.error({ err: error }, 'zone update failed; retrying'))
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#o.pollIntervalMs);
        });
    };
    this.#timer = setTimeout(tick, this.#o.pollIntervalMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#round;
  }

  /** One round: reads new changes and applies them. Exposed for tests; `start` calls it on a timer. */
  async poll(): Promise<void> {
    // A version not yet stored (the store failed last round) is stored, journalled and announced first.
    if (this.#unsettled !== null) await this.#settle();
    const rows = await this.#o.repo.changesSince(Math.max(0, this.#watermark - LOOKBACK), 10_000);
    const fresh = rows.filter((r) => !this.#handled.has(r.id) && r.id > this.#watermark - LOOKBACK);
    const resyncDue = this.#o.clock.now().getTime() - this.#lastResync >= this.#o.resyncIntervalMs;
    if (fresh.length === 0 && !resyncDue && this.#failed.size === 0) return;
    const everything = resyncDue || fresh.some((r) => r.subject === 'platform');
    const ids = [...this.#failed, ...fresh.filter((r) => r.subject === 'domain').map((r) => r.subjectId)];
    if (everything) await this.#recomputeAll();
    else await this.#recompute([...new Set(ids)]);
    await this.#publish();
    // Handled once published: a round that fails is read again (recomputing is idempotent).
    for (const r of fresh) {
      this.#handled.add(r.id);
      if (r.id > this.#watermark) this.#watermark = r.id;
    }
    for (const id of this.#handled) if (id <= this.#watermark - LOOKBACK) this.#handled.delete(id);
  }

  async #recompute(domainIds: readonly string[]): Promise<void> {
    const results: Array<[string, ResourceRecord[]]> = [];
    for (const id of domainIds) {
      const domain = await this.#o.source.findDomain(id);
      if (domain === null) {
        this.#failed.delete(id);
        results.push([id, []]);
        continue;
      }
      const records = await this.#planOne(domain);
      if (records !== null) results.push([id, records]);
    }
    // Applied together, with no await in between, so answers never mix old and new records of a round.
    for (const [id, records] of results) this.zone.replace(`domain:${id}`, records);
  }

  /**
   * Plans every domain again and applies those whose records differ (normally none). Only the differing ones
   * are held until all are planned, then applied in one tick, so a transfer never sees half a resync.
   */
  async #recomputeAll(): Promise<void> {
    const changed: Array<[string, ResourceRecord[]]> = [];
    const present = new Set<string>();
    await this.#plan((id, records) => {
      present.add(`domain:${id}`);
      if (this.zone.differs(`domain:${id}`, records)) changed.push([id, records]);
    });
    this.zone.replace('platform', platformRecords(this.#o.settings));
    for (const [id, records] of changed) this.zone.replace(`domain:${id}`, records);
    for (const contributor of this.zone.contributors()) {
      if (contributor.startsWith('domain:') && !present.has(contributor)) this.zone.replace(contributor, []);
    }
    this.#lastResync = this.#o.clock.now().getTime();
  }

  /**
   * Plans every domain, a batch at a time, handing each domain's records to `take` as its batch is done.
   * Returns how many domains there were.
   */
  async #plan(take: (id: string, records: ResourceRecord[]) => void): Promise<number> {
    const { source } = this.#o;
    // Batches planned together are large (a few queries each); domains planned one by one go CONCURRENCY at a time.
    const size = source.hostedRecordsOf === undefined ? CONCURRENCY : BATCH;
    let count = 0;
    const planBatch = async (batch: readonly SenderDomain[]) => {
      const plans = (await this.#planBatch(batch)) ?? (await Promise.all(batch.map((d) => this.#planOne(d))));
      batch.forEach((d, j) => {
        const records = plans[j];
        if (records !== null && records !== undefined) take(d.id, records);
      });
      count += batch.length;
    };
    if (source.listDomainsAfter !== undefined) {
      // A page at a time: a million domains are never all in memory as objects.
      for (let after = ''; ;) {
        const page = await source.listDomainsAfter(after, BATCH);
        if (page.length === 0) break;
        for (let i = 0; i < page.length; i += size) await planBatch(page.slice(i, i + size));
        after = page.at(-1)!.id;
      }
      return count;
    }
    const domains = await source.listDomains();
    for (let i = 0; i < domains.length; i += size) await planBatch(domains.slice(i, i + size));
    return count;
  }

  /**
   * A batch planned together (a few store queries for all of it), or null when the source cannot or when it
   * failed: then each domain is planned alone, so one bad domain costs only its own records.
   */
  async #planBatch(batch: readonly SenderDomain[]): Promise<Array<ResourceRecord[] | null> | null> {
    if (this.#o.source.hostedRecordsOf === undefined || batch.length < 2) return null;
    try {
      const hosted = await this.#o.source.hostedRecordsOf(batch);
      const records = hosted.map((h) => hostedZoneRecords(h));
      for (const d of batch) this.#failed.delete(d.id);
      return records;
    } catch {
      return null;
    }
  }

  /**
   * One domain's records, or null when planning it failed: then its records stay as they were (none at
   * start), the failure is logged, and the domain is tried again at every poll until it succeeds. One bad
   * domain never stops the zone.
   */
  async #planOne(domain: SenderDomain): Promise<ResourceRecord[] | null> {
    try {
      const records = hostedZoneRecords(await this.#o.source.hostedRecords(domain));
      this.#failed.delete(domain.id);
      return records;
    } catch (error) {
      if (!this.#failed.has(domain.id)) {
        this.#o.log.error(
          { err: error, domain: domain.name, domainId: domain.id },
          'cannot plan the domain; retrying',
        );
      }
      this.#failed.add(domain.id);
      return null;
    }
  }

  /** Raises the serial if the content changed, stores it, journals the difference, notifies. */
  async #publish(): Promise<void> {
    const diff = this.#journalling ? this.zone.takeChanges() : null;
    const digest = this.zone.digest();
    const empty = diff === null || (diff.deleted.length === 0 && diff.added.length === 0);
    if (digest === this.#digest && empty) return;
    const soaFrom = this.zone.soa();
    this.#unsettled = { fromSerial: this.#serial, soaFrom, diff };
    this.#apply(nextSerial(this.#serial, this.#o.clock.now()), digest);
    this.#o.log.info(
      { serial: this.#serial, deleted: diff?.deleted.length, added: diff?.added.length },
      'zone updated',
    );
    await this.#settle();
  }

  /** Stores the serial (moving up to a higher one another process stored first), journals it, announces it. */
  async #settle(): Promise<void> {
    const pending = this.#unsettled;
    if (pending === null) return;
    const settled = await settleSerial(this.#o.repo, this.#o.settings.apex, this.#digest, this.#serial, () =>
      this.#o.clock.now(),
    );
    if (settled !== this.#serial) this.#apply(settled, this.#digest);
    this.#unsettled = null;
    if (pending.diff !== null) await this.#journal(pending, pending.diff);
    this.#o.onPublish?.(this.zone.soa());
  }

  async #journal(pending: Unsettled, diff: ZoneDiff): Promise<void> {
    const bounds = this.#o.journal;
    if (bounds === null || bounds === undefined) return;
    const entry: JournalEntry = {
      fromSerial: pending.fromSerial,
      toSerial: this.#serial,
      soaFrom: toWireRecord(pending.soaFrom),
      soaTo: toWireRecord(this.zone.soa()),
      deleted: diff.deleted,
      added: diff.added,
    };
    const changes = encodeJournalEntry(entry);
    if (changes.length > bounds.maxBytes) {
      // Too big to keep: secondaries behind this version get the whole zone instead (RFC 1995 §5).
      this.#o.log.info(
        { serial: this.#serial, bytes: changes.length },
        'zone difference not journalled: too big',
      );
      return;
    }
    try {
      await this.#o.repo.appendJournal(
        this.#o.settings.apex,
        { fromSerial: entry.fromSerial, toSerial: entry.toSerial, changes },
        { ...bounds, now: this.#o.clock.now() },
      );
    } catch (error) {
      this.#o.log.warn(
        { err: error, serial: this.#serial },
        'zone difference not journalled: the store failed',
      );
    }
  }

  #apply(serial: number, digest: string): void {
    this.zone.setSoa(soaRecord(this.#o.settings, serial));
    this.#serial = serial;
    this.#digest = digest;
  }

  /**
   * The condensed difference between two serials from the journal, or null when it cannot lead from one to the
   * other (or the store fails: the whole zone is sent instead, which is always correct).
   */
  async difference(from: number, to: number): Promise<JournalEntry | null> {
    if (!this.#journalling) return null;
    try {
      const apex = this.#o.settings.apex;
      const path = journalPath(await this.#o.repo.journalLinks(apex), from, to);
      if (path === null || path.length === 0) return null;
      const texts = await this.#o.repo.journalChanges(
        apex,
        path.map((l) => l.id),
      );
      return condense(path.map((l) => decodeJournalEntry(l, texts.get(l.id) ?? '')));
    } catch (error) {
      this.#o.log.warn({ err: error, from, to }, 'cannot read the zone journal; sending the whole zone');
      return null;
    }
  }
}
