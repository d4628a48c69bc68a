/** A domain's BIMI logo as uploaded and checked (SVG Tiny PS), served by the edge under its hash. */
export interface BimiLogo {
  readonly domainId: string;
  readonly tenantId: string;
  /** SHA-256 of the file, hex: its name on the edge (`/bimi/<sha256>.svg`), so a new logo gets a new URL. */
  readonly sha256: string;
  readonly svg: string;
  readonly bytes: number;
  readonly uploadedAt: string;
}

/** What the bimi capability needs from the store: one logo per domain. */
export interface BimiLogoRepository {
  get(domainId: string): Promise<BimiLogo | null>;
  /** Stores the domain's logo, replacing the one before. */
  put(logo: BimiLogo): Promise<void>;
  remove(domainId: string): Promise<void>;
}
