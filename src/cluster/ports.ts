/** A job's lease as the store keeps it: who holds it and until when (ISO 8601 UTC). */
export interface JobLeaseRow {
  readonly name: string;
  readonly owner: string;
  readonly until: string;
  readonly acquiredAt: string;
}

/** The store's side of job leases; every node of a cluster sees the same rows. */
export interface JobLeaseRepository {
  /**
   * Takes or renews the lease `name` for `owner` until `until`, when it is free, expired at `now`, or already
   * `owner`'s. True when `owner` holds it afterwards. One statement, so two nodes never both win.
   */
  claim(name: string, owner: string, until: string, now: string): Promise<boolean>;
  /** Gives the lease back, if `owner` holds it, so another node may take it at once. */
  release(name: string, owner: string): Promise<void>;
  /** Every lease, for status pages and tests. */
  list(): Promise<JobLeaseRow[]>;
}
