/** Tables of the dns capability. */
export interface DnsTables {
  dns_zone_serials: DnsZoneSerialsTable;
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
