import type { Generated } from 'kysely';

/**
 * Tables of the reports capability. Reports and their records are the raw facts; the `report_daily*` tables are
 * roll-ups by (domain, day), kept up to date as each report completes, so that a 30-day view reads at most 30
 * rows per domain (per source, reporter or selector) however many records arrived.
 */
export interface ReportsTables {
  reports: ReportsTable;
  report_records: ReportRecordsTable;
  report_daily: ReportDailyTable;
  report_daily_sources: ReportDailySourcesTable;
  report_daily_reporters: ReportDailyReportersTable;
  report_daily_selectors: ReportDailySelectorsTable;
  report_ip_names: ReportIpNamesTable;
  report_quarantine: ReportQuarantineTable;
  failure_reports: FailureReportsTable;
}

export interface ReportsTable {
  id: string;
  tenant_id: string;
  domain_id: string;
  kind: string;
  /** loading while records arrive; complete once the roll-ups include it. */
  status: string;
  reporter: string;
  org_name: string;
  reporter_email: string | null;
  external_id: string;
  policy_domain: string;
  date_begin: string;
  date_end: string;
  day: string;
  received_at: string;
  via: string;
  schema_name: string | null;
  policy: string | null;
  details: string | null;
  record_count: number;
  message_count: number;
  dedup_key: string;
  /** dkim, fcrdns, operator, unverified or legacy (src/reports/reporter-trust.ts). */
  trust: Generated<string>;
  trust_reason: string | null;
  /** The organisational domain the verification proved. */
  verified_domain: string | null;
  /** When the verdict was given (for legacy reports: the migration). */
  trust_at: string | null;
  /** JSON: the figures this report added to the daily roll-ups (null for legacy reports). */
  rollup: string | null;
}

export interface ReportRecordsTable {
  id: Generated<number>;
  report_id: string;
  domain_id: string;
  day: string;
  source_ip: string;
  count: number;
  disposition: string;
  dmarc_pass: number;
  dkim_aligned: number;
  spf_aligned: number;
  header_from: string | null;
  envelope_from: string | null;
  envelope_to: string | null;
  reasons: string | null;
  dkim_results: string | null;
  spf_results: string | null;
  auth_unaligned: number;
}

interface Figures {
  messages: number;
  dmarc_pass: number;
  dkim_aligned: number;
  spf_aligned: number;
}

export interface ReportDailyTable extends Figures {
  domain_id: string;
  day: string;
  tenant_id: string;
  reports: number;
  disposition_none: number;
  disposition_quarantine: number;
  disposition_reject: number;
  tls_successful: number;
  tls_failed: number;
  failure_reports: number;
}

export interface ReportDailySourcesTable extends Figures {
  domain_id: string;
  day: string;
  source_ip: string;
  tenant_id: string;
  disposition_quarantine: number;
  disposition_reject: number;
  auth_unaligned: number;
}

/** The reporter scoreboard. `domain_id` and `tenant_id` are '' for input nobody could be attributed. */
export interface ReportDailyReportersTable {
  domain_id: string;
  day: string;
  reporter: string;
  tenant_id: string;
  reports: number;
  messages: number;
  dmarc_pass: number;
  duplicates: number;
  malformed: number;
  late: number;
}

export interface ReportDailySelectorsTable {
  domain_id: string;
  day: string;
  signing_domain: string;
  selector: string;
  tenant_id: string;
  messages: number;
  pass: number;
  fail: number;
}

export interface ReportIpNamesTable {
  ip: string;
  ptr: string | null;
  verified: number;
  resolved_at: string;
}

export interface ReportQuarantineTable {
  id: string;
  tenant_id: string | null;
  domain_id: string | null;
  received_at: string;
  via: string;
  reason: string;
  message: string;
  path: string;
  reporter: string | null;
  external_id: string | null;
  policy_domain: string | null;
  raw_bytes: number;
  raw_sha256: string;
  raw_kept: number;
  raw_gzip: Buffer;
}

export interface FailureReportsTable {
  id: string;
  tenant_id: string;
  domain_id: string;
  received_at: string;
  expires_at: string;
  day: string;
  via: string;
  reporter: string;
  feedback_type: string;
  source_ip: string | null;
  details: string;
  /** SHA-256 of the parsed report: the same report again is a duplicate (null for rows from before 0420). */
  dedup_key: string | null;
}
