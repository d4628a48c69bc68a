/** Tables of the checks capability (migration 0300-checks). */
export interface ChecksTables {
  check_results: CheckResultsTable;
  check_record_states: CheckRecordStatesTable;
}

/** The latest check of each domain, as JSON, and when the scheduler checks it next. */
export interface CheckResultsTable {
  domain_id: string;
  tenant_id: string;
  checked_at: string;
  grade: string;
  result: string;
  next_check_at: string;
}

/** Per planned record: status and human error (like Postal's), kept between checks to see breaks and fixes. */
export interface CheckRecordStatesTable {
  domain_id: string;
  record_key: string;
  status: string;
  error: string | null;
  since: string;
  checked_at: string;
}
