import type { Clock, Logger } from '../core/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import { AnswerTable } from './answer-table.ts';
import type { DnsRepository, ZoneSource } from './ports.ts';
import type { ResourceRecord } from './resource-record.ts';
import { settleSerial } from './serial-ledger.ts';
import { nextSerial } from './serial.ts';
import { hostedZoneRecords, platformRecords, soaRecord, type ZoneSettings } from './zone-builder.ts';
import { Zone } from './zone.ts';

/**
 * Keeps the zone in step with the store. It builds the whole zone once, then watches the append-only change
 * log: a `domain` change recomputes that domain's records, a `platform` change (and a periodic resync, as a
 * safety net) recomputes everything, but only names whose content changed are re-encoded. When the content
 * changes the serial rises in the same tick as the records (so no one sees new records under an old serial),
 * is stored, and `onPublish` fires (NOTIFY).
 */
export interface ZoneKeeperOptions {
  readonly settings: ZoneSettings;
  readonly source: ZoneSource;
  readonly repo: DnsRepository;
  readonly clock: Clock;
  readonly log: Logger;
  readonly pollIntervalMs: number;
  readonly resyncIntervalMs: number;
  /** Called after a new serial is stored, with the new SOA. */
  readonly onPublish?: (soa: ResourceRecord) => void;
}

/**
 * Change ids are re-read this far back on every poll: with PostgreSQL a transaction may commit after one with
 * a higher id, and its row must still be seen. Rows already handled are skipped by id.
 */
const LOOKBACK = 128;
/** Domains planned at once during a full build. */
const CONCURRENCY = 32;
/** Domains planned together by a source that can (ZoneSource.hostedRecordsOf). */
const BATCH = 500;

export class ZoneKeeper {
  readonly zone: Zone;
  readonly table: AnswerTable;
  readonly #o: ZoneKeeperOptions;
  #serial = 0;
  #digest = '';
  #watermark = 0;
  readonly #handled = new Set<number>();
  readonly #domainIds = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();
  #lastResync = 0;
  #stopped = false;
  /** Domains whose planning failed: tried again at every poll. */
  readonly #failed = new Set<string>();
  /** The serial in use is not stored yet (the store failed): store it at the next poll. */
  #unsettled = false;

  constructor(options: ZoneKeeperOptions) {
    this.#o = options;
    this.zone = new Zone(options.settings.apex);
    this.table = new AnswerTable(this.zone);
  }

  get serial(): number {
    return this.#serial;
  }

  /** Builds the whole zone and settles its serial; call once before serving. */
  async load(): Promise<void> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    // The watermark is taken first, so a change made while we read is seen by the next poll.
    this.#watermark = await this.#o.repo.latestChangeId();
    const domains = await this.#o.source.listDomains();
    this.zone.replace('platform', platformRecords(this.#o.settings));
    await this.#plan(domains, (id, records) => {
      this.zone.replace(`domain:${id}`, records);
      this.#domainIds.add(id);
    });
    this.zone.replace('soa', [soaRecord(this.#o.settings, this.#serial)]);
    this.#digest = this.zone.digest();
    this.#serial = await settleSerial(this.#o.repo, this.#o.settings.apex, this.#digest, null, () =>
      this.#o.clock.now(),
    );
    this.zone.replace('soa', [soaRecord(this.#o.settings, this.#serial)]);
    this.table.rebuildAll();
    this.#lastResync = this.#o.clock.now().getTime();
    this.#o.log.info(
      {
        domains: domains.length,
        names: this.table.size,
        serial: this.#serial,
        ms: Math.round(performance.now() - started),
        // CPU time of the whole process while building: what the build costs when other work shares the CPU.
        cpuMs: Math.round(((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpu))),
        rssMb: Math.round(process.memoryUsage().rss / 1e6),
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
    // A serial not yet stored (the store failed last round) is stored, and announced, first.
    if (this.#unsettled) await this.#settle(this.#serial);
    const rows = await this.#o.repo.changesSince(Math.max(0, this.#watermark - LOOKBACK), 10_000);
    const fresh = rows.filter((r) => !this.#handled.has(r.id) && r.id > this.#watermark - LOOKBACK);
    const resyncDue = this.#o.clock.now().getTime() - this.#lastResync >= this.#o.resyncIntervalMs;
    if (fresh.length === 0 && !resyncDue && this.#failed.size === 0) return;
    const everything = resyncDue || fresh.some((r) => r.subject === 'platform');
    const changed = everything
      ? await this.#recomputeAll()
      : await this.#recompute([
          ...new Set([
            ...this.#failed,
            ...fresh.filter((r) => r.subject === 'domain').map((r) => r.subjectId),
          ]),
        ]);
    for (const r of fresh) {
      this.#handled.add(r.id);
      if (r.id > this.#watermark) this.#watermark = r.id;
    }
    for (const id of this.#handled) if (id <= this.#watermark - LOOKBACK) this.#handled.delete(id);
    await this.#publish(changed);
  }

  async #recompute(domainIds: readonly string[]): Promise<Set<string>> {
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
    const changed = new Set<string>();
    for (const [id, records] of results) {
      for (const name of this.zone.replace(`domain:${id}`, records)) changed.add(name);
      if (records.length === 0) this.#domainIds.delete(id);
      else this.#domainIds.add(id);
    }
    return changed;
  }

  async #recomputeAll(): Promise<Set<string>> {
    const domains = await this.#o.source.listDomains();
    const planned: Array<[string, ResourceRecord[]]> = [];
    await this.#plan(domains, (id, records) => planned.push([id, records]));
    // Applied together, with no await in between, so answers never mix old and new records of a round.
    const changed = new Set<string>(this.zone.replace('platform', platformRecords(this.#o.settings)));
    const present = new Set<string>();
    for (const [id, records] of planned) {
      present.add(id);
      for (const name of this.zone.replace(`domain:${id}`, records)) changed.add(name);
    }
    for (const id of this.#domainIds) {
      if (!present.has(id)) for (const name of this.zone.replace(`domain:${id}`, [])) changed.add(name);
    }
    this.#domainIds.clear();
    for (const id of present) this.#domainIds.add(id);
    this.#lastResync = this.#o.clock.now().getTime();
    return changed;
  }

  /** Plans the domains, a batch at a time, handing each domain's records to `take` as its batch is done. */
  async #plan(
    domains: readonly SenderDomain[],
    take: (id: string, records: ResourceRecord[]) => void,
  ): Promise<void> {
    // Batches planned together are large (a few queries each); domains planned one by one go CONCURRENCY at a time.
    const size = this.#o.source.hostedRecordsOf === undefined ? CONCURRENCY : BATCH;
    for (let i = 0; i < domains.length; i += size) {
      const batch = domains.slice(i, i + size);
      const plans = (await this.#planBatch(batch)) ?? (await Promise.all(batch.map((d) => this.#planOne(d))));
      batch.forEach((d, j) => {
        const records = plans[j];
        if (records !== null && records !== undefined) take(d.id, records);
      });
    }
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

  /** Raises the serial if the content changed, re-encodes the changed names, stores the serial, notifies. */
  async #publish(changed: Set<string>): Promise<void> {
    if (changed.size === 0) return;
    const digest = this.zone.digest();
    if (digest === this.#digest) {
      this.table.refresh(changed);
      return;
    }
    const proposed = nextSerial(this.#serial, this.#o.clock.now());
    this.#apply(proposed, digest, changed);
    this.#o.log.info({ serial: this.#serial, names: changed.size }, 'zone updated');
    await this.#settle(proposed);
  }

  /** Stores the serial (moving up to a higher one another process stored first) and announces it. */
  async #settle(proposed: number): Promise<void> {
    this.#unsettled = true;
    const settled = await settleSerial(this.#o.repo, this.#o.settings.apex, this.#digest, proposed, () =>
      this.#o.clock.now(),
    );
    if (settled !== proposed) this.#apply(settled, this.#digest, new Set());
    this.#unsettled = false;
    this.#o.onPublish?.(this.zone.soa());
  }

  #apply(serial: number, digest: string, changed: Set<string>): void {
    for (const name of this.zone.replace('soa', [soaRecord(this.#o.settings, serial)])) changed.add(name);
    changed.add(this.zone.apex);
    this.table.refresh(changed);
    this.#serial = serial;
    this.#digest = digest;
  }
}
