/** Tables of BIMI logo hosting (migration 0960-bimi-logos). */
export interface BimiTables {
  bimi_logos: BimiLogosTable;
}

/** One checked SVG Tiny PS logo per domain; it goes with the domain. */
export interface BimiLogosTable {
  domain_id: string;
  tenant_id: string;
  sha256: string;
  svg: string;
  bytes: number;
  uploaded_at: string;
}
