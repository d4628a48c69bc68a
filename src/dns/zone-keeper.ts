import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { Clock, Logger } from '../core/index.ts';
import type { DnsRepository, ZoneSource } from './ports.ts';
import type { ResourceRecord } from './resource-record.ts';
import { settleSerial } from './serial-ledger.ts';
import { nextSerial } from './serial.ts';
import { toWireRecord } from './wire-record.ts';
import { platformRecords, soaRecord, type ZoneSettings } from './zone-builder.ts';
import type { JournalEntry } from './zone-journal.ts';
import { ZoneJournalLog } from './zone-journal-log.ts';
import { ZonePlanner } from './zone-planner.ts';
import { Zone, type ZoneDiff } from './zone.ts';

/**
 * Keeps the zone in step with the store. It builds the whole zone once, then watches the append-only change
 * log: a `domain` change recomputes that domain's records, a `platform` change (and a periodic resync, as a
 * safety net) recomputes everything, but only contributors whose records changed are rewritten. When the
 * content changes the serial rises in the same tick as the records (so no one sees new records under an old
 * serial), is stored, the difference is added to the journal (IXFR, RFC 1995), and `onPublish` fires (NOTIFY).
 * A resync of a million domains takes minutes of CPU: between its batches, queries are answered and changes
 * that came meanwhile are applied and published, so it delays neither.
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

/** A version published but not yet stored or journalled (the store failed): finished at the next poll. */
interface Unsettled {
  readonly fromSerial: number;
  readonly soaFrom: ResourceRecord;
  readonly diff: ZoneDiff | null;
}

export class ZoneKeeper {
  readonly zone: Zone;
  readonly #o: ZoneKeeperOptions;
  readonly #planner: ZonePlanner;
  readonly #journal: ZoneJournalLog | null;
  #serial = 0;
  #digest = '';
  #watermark = 0;
  readonly #handled = new Set<number>();
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();
  #lastResync = 0;
  #stopped = false;
  #unsettled: Unsettled | null = null;

  constructor(options: ZoneKeeperOptions) {
    this.#o = options;
    this.zone = new Zone(options.settings.apex);
    this.#planner = new ZonePlanner(options.source, options.log);
    const bounds = options.journal;
    this.#journal =
      bounds === null || bounds === undefined || bounds.maxBytes <= 0
        ? null
        : new ZoneJournalLog(options.repo, options.settings.apex, bounds, options.clock, options.log);
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
    const planAll = () => this.#planner.planAll((id, records) => this.zone.replace(`domain:${id}`, records));
    const source = this.#o.source;
    const domains = await (source.readingInBulk === undefined ? planAll() : source.readingInBulk(planAll));
    this.zone.setSoa(soaRecord(this.#o.settings, this.#serial));
    this.#digest = this.zone.digest();
    this.#serial = await settleSerial(this.#o.repo, this.#o.settings.apex, this.#digest, null, () =>
      this.#o.clock.now(),
    );
    this.zone.setSoa(soaRecord(this.#o.settings, this.#serial));
    if (this.#journal !== null) this.zone.beginChanges();
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
    const platform = await this.#applyChanges(null);
    const resyncDue = this.#o.clock.now().getTime() - this.#lastResync >= this.#o.resyncIntervalMs;
    if (platform || resyncDue) await this.#resync();
  }

  /**
   * Reads new rows of the change log, recomputes their domains (and those whose planning failed) and publishes.
   * Ids recomputed are added to `touched`. True when a platform change came.
   */
  async #applyChanges(touched: Set<string> | null): Promise<boolean> {
    const rows = await this.#o.repo.changesSince(Math.max(0, this.#watermark - LOOKBACK), 10_000);
    const fresh = rows.filter((r) => !this.#handled.has(r.id) && r.id > this.#watermark - LOOKBACK);
    const failed = this.#planner.failed;
    if (fresh.length === 0 && failed.length === 0) return false;
    const ids = new Set([...failed, ...fresh.filter((r) => r.subject === 'domain').map((r) => r.subjectId)]);
    const results = await this.#planner.planIds([...ids]);
    // Applied together, with no await in between, so answers never mix old and new records of a round.
    for (const [id, records] of results) {
      this.zone.replace(`domain:${id}`, records);
      touched?.add(id);
    }
    await this.#publish();
    // Handled once published: a round that fails is read again (recomputing is idempotent).
    for (const r of fresh) {
      this.#handled.add(r.id);
      if (r.id > this.#watermark) this.#watermark = r.id;
    }
    for (const id of this.#handled) if (id <= this.#watermark - LOOKBACK) this.#handled.delete(id);
    return fresh.some((r) => r.subject === 'platform');
  }

  /**
   * Plans every domain again and applies those whose records differ (normally none), all in one tick at the end,
   * so a transfer never sees half a resync. Between batches, queries get their turn and changes that came
   * meanwhile are applied at once; a domain changed that way keeps its newer records.
   */
  async #resync(): Promise<void> {
    const touched = new Set<string>();
    const changed: Array<[string, ResourceRecord[]]> = [];
    const present = new Set<string>();
    await this.#planner.planAll(
      (id, records) => {
        present.add(`domain:${id}`);
        if (this.zone.differs(`domain:${id}`, records)) changed.push([id, records]);
      },
      async () => {
        await yieldToEvents();
        await this.#applyChanges(touched);
      },
    );
    this.zone.replace('platform', platformRecords(this.#o.settings));
    for (const [id, records] of changed) if (!touched.has(id)) this.zone.replace(`domain:${id}`, records);
    for (const contributor of this.zone.contributors()) {
      const gone = contributor.startsWith('domain:') && !present.has(contributor);
      if (gone && !touched.has(contributor.slice('domain:'.length))) this.zone.replace(contributor, []);
    }
    this.#lastResync = this.#o.clock.now().getTime();
    await this.#publish();
  }

  /** Raises the serial if the content changed, stores it, journals the difference, notifies. */
  async #publish(): Promise<void> {
    const diff = this.#journal === null ? null : this.zone.takeChanges();
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
    if (pending.diff !== null && this.#journal !== null) {
      await this.#journal.append(
        { serial: pending.fromSerial, soa: toWireRecord(pending.soaFrom) },
        { serial: this.#serial, soa: toWireRecord(this.zone.soa()) },
        pending.diff,
      );
    }
    this.#o.onPublish?.(this.zone.soa());
  }

  #apply(serial: number, digest: string): void {
    this.zone.setSoa(soaRecord(this.#o.settings, serial));
    this.#serial = serial;
    this.#digest = digest;
  }

  /**
   * The condensed difference between two serials from the journal (IXFR), or null when it cannot lead from one
   * to the other: the whole zone is sent instead, which is always correct.
   */
  difference(from: number, to: number): Promise<JournalEntry | null> {
    return this.#journal?.difference(from, to) ?? Promise.resolve(null);
  }
}
