/** Tables of the dns capability. */
import type { Generated } from 'kysely';

export interface DnsTables {
  dns_zone_serials: DnsZoneSerialsTable;
  dns_zone_journal: DnsZoneJournalTable;
}

/**
 * The SOA serial last published for each zone and the digest of the content it was published for, so the
 * serial survives restarts and never goes down (RFC 1982 arithmetic decides "down").
 */
export interface DnsZoneSerialsTable {
  zone: string;
  serial: number;
  digest: string;
  updated_at: string;
}

/** The IXFR journal (RFC 1995): the difference that took the zone from one serial to the next, as text. */
export interface DnsZoneJournalTable {
  id: Generated<number>;
  zone: string;
  from_serial: number;
  to_serial: number;
  changes: string;
  /** Length of `changes`: what the journal's size bound counts. */
  bytes: number;
  created_at: string;
}
