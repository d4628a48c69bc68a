/** Tables of the cluster capability (migration 0990-job-leases). */
export interface JobLeaseTables {
  job_leases: JobLeasesTable;
}

/** One row per periodic job that some node has held: the holder and until when (ISO 8601 UTC). */
export interface JobLeasesTable {
  name: string;
  owner: string;
  until: string;
  acquired_at: string;
}
