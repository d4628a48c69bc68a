import type { Clock, Logger } from '../core/index.ts';
import type { DnsRepository } from './ports.ts';
import type { WireRecord } from './wire-record.ts';
import type { ZoneDiff } from './zone.ts';
import {
  condense,
  decodeJournalEntry,
  encodeJournalEntry,
  journalPath,
  type JournalEntry,
} from './zone-journal.ts';

/**
 * The zone's journal in the store (RFC 1995's differences): one entry written for every serial this process
 * publishes, and the condensed difference between two serials read back for IXFR. A failure of the store is
 * logged and costs only increments: IXFR across a missing entry sends the whole zone, which is always correct.
 */
export interface JournalBoundsSettings {
  readonly maxBytes: number;
  readonly maxAgeMs: number;
}

export class ZoneJournalLog {
  readonly #repo: DnsRepository;
  readonly #apex: string;
  readonly #bounds: JournalBoundsSettings;
  readonly #clock: Clock;
  readonly #log: Logger;

  constructor(repo: DnsRepository, apex: string, bounds: JournalBoundsSettings, clock: Clock, log: Logger) {
    this.#repo = repo;
    this.#apex = apex;
    this.#bounds = bounds;
    this.#clock = clock;
    this.#log = log;
  }

  /** Records that the zone went from one version to the next with this difference. */
  async append(
    from: { serial: number; soa: WireRecord },
    to: { serial: number; soa: WireRecord },
    diff: ZoneDiff,
  ): Promise<void> {
    const entry: JournalEntry = {
      fromSerial: from.serial,
      toSerial: to.serial,
      soaFrom: from.soa,
      soaTo: to.soa,
      deleted: diff.deleted,
      added: diff.added,
    };
    const changes = encodeJournalEntry(entry);
    if (changes.length > this.#bounds.maxBytes) {
      // Too big to keep: secondaries behind this version get the whole zone instead (RFC 1995 §5).
      this.#log.info({ serial: to.serial, bytes: changes.length }, 'zone difference not journalled: too big');
      return;
    }
    try {
      await this.#repo.appendJournal(
        this.#apex,
        { fromSerial: from.serial, toSerial: to.serial, changes },
        { ...this.#bounds, now: this.#clock.now() },
      );
    } catch (error) {
      this.#log.warn({ err: error, serial: to.serial }, 'zone difference not journalled: the store failed');
    }
  }

  /** The condensed difference from serial `from` to serial `to`, or null when the journal cannot lead there. */
  async difference(from: number, to: number): Promise<JournalEntry | null> {
    try {
      const path = journalPath(await this.#repo.journalLinks(this.#apex), from, to);
      if (path === null || path.length === 0) return null;
      const texts = await this.#repo.journalChanges(
        this.#apex,
        path.map((l) => l.id),
      );
      return condense(path.map((l) => decodeJournalEntry(l, texts.get(l.id) ?? '')));
    } catch (error) {
      this.#log.warn({ err: error, from, to }, 'cannot read the zone journal; sending the whole zone');
      return null;
    }
  }
}
