import type { Logger } from '../core/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import type { ZoneSource } from './ports.ts';
import type { ResourceRecord } from './resource-record.ts';
import { hostedZoneRecords } from './zone-builder.ts';

/**
 * The records of sender domains, from the zone source (the domains capability's plans). A full build reads the
 * domains a page at a time and plans each batch with a few store queries; one domain whose planning fails costs
 * only its own records: it is logged once and tried again at every poll until it succeeds.
 */

/** Domains planned at once when a source plans them one by one. */
const CONCURRENCY = 32;
/**
 * Domains read and planned together by a source that can (ZoneSource.listDomainsAfter, hostedRecordsOf). Small
 * enough that a batch's rows, plans and records die young: with 500, a 100,000-domain build promoted about 430 MB
 * to the old generation (--trace-gc-nvp) under senderd's 8 MiB semi-space, and with 200 about 190 MB, a smaller
 * resident size and less scavenging; below 200 it barely falls while the store queries grow in number.
 */
const BATCH = 200;

export class ZonePlanner {
  readonly #source: ZoneSource;
  readonly #log: Logger;
  /** Domains whose planning failed: tried again at every poll. */
  readonly #failed = new Set<string>();

  constructor(source: ZoneSource, log: Logger) {
    this.#source = source;
    this.#log = log;
  }

  /** Domains whose last planning failed. */
  get failed(): readonly string[] {
    return [...this.#failed];
  }

  /**
   * Plans every domain, a batch at a time, handing each domain's records to `take` as its batch is done, and
   * calling `between` after each batch. Returns how many domains there were.
   */
  async planAll(
    take: (id: string, records: ResourceRecord[]) => void,
    between?: () => Promise<void>,
  ): Promise<number> {
    const source = this.#source;
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
      await between?.();
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

  /** The records of each domain by id: none for a domain that is gone; left out when planning it failed. */
  async planIds(domainIds: readonly string[]): Promise<Array<[string, ResourceRecord[]]>> {
    const results: Array<[string, ResourceRecord[]]> = [];
    for (const id of domainIds) {
      const domain = await this.#source.findDomain(id);
      if (domain === null) {
        this.#failed.delete(id);
        results.push([id, []]);
        continue;
      }
      const records = await this.#planOne(domain);
      if (records !== null) results.push([id, records]);
    }
    return results;
  }

  /**
   * A batch planned together (a few store queries for all of it), or null when the source cannot or when it
   * failed: then each domain is planned alone, so one bad domain costs only its own records.
   */
  async #planBatch(batch: readonly SenderDomain[]): Promise<Array<ResourceRecord[] | null> | null> {
    if (this.#source.hostedRecordsOf === undefined || batch.length < 2) return null;
    try {
      const hosted = await this.#source.hostedRecordsOf(batch);
      const records = hosted.map((h) => hostedZoneRecords(h));
      for (const d of batch) this.#failed.delete(d.id);
      return records;
    } catch {
      return null;
    }
  }

  /** One domain's records, or null when planning it failed (logged once; tried again at every poll). */
  async #planOne(domain: SenderDomain): Promise<ResourceRecord[] | null> {
    try {
      const records = hostedZoneRecords(await this.#source.hostedRecords(domain));
      this.#failed.delete(domain.id);
      return records;
    } catch (error) {
      if (!this.#failed.has(domain.id)) {
        this.#log.error(
          { err: error, domain: domain.name, domainId: domain.id },
          'cannot plan the domain; retrying',
        );
      }
      this.#failed.add(domain.id);
      return null;
    }
  }
}
