import type { PlannedRecord, SenderDomain } from '../domains/index.ts';
import type { JournalLink } from './zone-journal.ts';

/** What the dns capability needs from the store. */
export interface DnsRepository {
  /** The id of the newest change (0 when there is none). */
  latestChangeId(): Promise<number>;
  /**
   * Changes with id greater than `afterId`, oldest first, at most `limit`. `subject = 'domain'` means
   * "recompute that domain's hosted records"; `subject = 'platform'` means "rebuild everything".
   */
  changesSince(afterId: number, limit: number): Promise<ChangeRow[]>;
  /** The serial last published for the zone, and the digest of the content it was published for. */
  readSerial(zone: string): Promise<StoredSerial | null>;
  /**
   * Stores `next` if the stored row is still `expected` (null: there is no row yet). Returns false when
   * another process got there first; the caller reads again.
   */
  compareAndSetSerial(zone: string, expected: StoredSerial | null, next: StoredSerial): Promise<boolean>;
  /**
   * Appends an entry to the zone's journal (RFC 1995's differences, for IXFR), then purges entries older than
   * `bounds.maxAgeMs` and the oldest ones beyond `bounds.maxBytes` of changes in all.
   */
  appendJournal(zone: string, entry: StoredJournalEntry, bounds: JournalBounds): Promise<void>;
  /** Every journal entry of the zone, oldest first, without its changes. */
  journalLinks(zone: string): Promise<JournalLink[]>;
  /** The stored changes of the given entries, by id. */
  journalChanges(zone: string, ids: readonly number[]): Promise<Map<number, string>>;
}

export interface StoredJournalEntry {
  readonly fromSerial: number;
  readonly toSerial: number;
  /** The entry's changes as text (zone-journal.ts); its length is what the size bound counts. */
  readonly changes: string;
}

export interface JournalBounds {
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly now: Date;
}

export interface ChangeRow {
  readonly id: number;
  readonly subject: string;
  readonly subjectId: string;
}

export interface StoredSerial {
  readonly serial: number;
  /** Digest of the zone's records, the SOA serial left out (see Zone.digest). */
  readonly digest: string;
}

/** Where the zone's sender-domain records come from (the domains capability, wired in main.ts). */
export interface ZoneSource {
  listDomains(): Promise<readonly SenderDomain[]>;
  /**
   * At most `limit` domains with ids greater than `afterId` (`''`: from the first), in id order: a full build
   * reads a million domains a page at a time instead of all at once.
   */
  listDomainsAfter?(afterId: string, limit: number): Promise<readonly SenderDomain[]>;
  /** How many domains there are (to size the zone's memory before a full build). */
  countDomains?(): Promise<number>;
  /** Any tenant's domain by id; null if it no longer exists. */
  findDomain(id: string): Promise<SenderDomain | null>;
  /** The records senderd hosts for the domain (`DomainService.planFor(domain).hosted`). */
  hostedRecords(domain: SenderDomain): Promise<readonly PlannedRecord[]>;
  /** The same for a batch of domains, in order, with a few store queries for the whole batch. */
  hostedRecordsOf?(domains: readonly SenderDomain[]): Promise<ReadonlyArray<readonly PlannedRecord[]>>;
  /** Runs `fn`, a full build that reads every domain, the way the store reads in bulk fastest. */
  readingInBulk?<T>(fn: () => Promise<T>): Promise<T>;
}
