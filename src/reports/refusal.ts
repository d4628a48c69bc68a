/**
 * Why a report was refused. A refusal is an outcome (the input goes to quarantine with this reason); inside the
 * streaming parsers it travels as a `ReportRefusal` so deep code can stop at once, and the pipeline turns it back
 * into data at its one boundary (`ingest`). Any other exception is a bug or broken infrastructure.
 */
export const REFUSAL_REASONS = {
  empty: 'the input is empty',
  unrecognised_format: 'the input is not a report in any format we know (XML, JSON, gzip, zip or MIME)',
  dtd_forbidden:
    'the XML carries a DTD or entity declaration; reports never need one, and we never process them',
  not_well_formed: 'the XML is too damaged to recover',
  truncated: 'the input ends before the report does',
  not_a_report: 'the document is not a DMARC, TLS-RPT or failure report',
  missing_field: 'a required field of the report is missing or invalid',
  too_large: 'the decompressed input exceeds the size limit',
  compression_ratio: 'the compression ratio exceeds the limit (a decompression bomb)',
  too_many_records: 'the report has more records than the limit',
  too_many_parts: 'the input has more files or MIME parts than the limit',
  nesting_too_deep: 'archives, MIME parts or XML elements are nested deeper than the limit',
  token_too_long: 'an XML tag, text, comment or MIME header exceeds its length limit',
  corrupt_archive: 'the gzip or zip data is corrupt',
  unsupported_archive: 'the zip uses a feature we do not read (encryption or an unknown compression method)',
  invalid_json: 'the TLS-RPT report is not valid JSON',
  no_report_found: 'the message carries no report',
  unknown_domain: 'no sender domain matches the report',
  ambiguous_domain:
    'several tenants have this domain and none proves ownership, so the report is not attributed',
  unverified_domain:
    'the only tenant with this domain has not verified it, so a report that reached the platform without its token is not attributed',
  policy_domain_mismatch: 'the report is about a domain unrelated to the address it was sent to',
  public_suffix_policy_domain:
    'the report is about a public suffix, where no sender domain publishes a DMARC policy (forged or broken)',
} as const;

export type RefusalReason = keyof typeof REFUSAL_REASONS;

export class ReportRefusal extends Error {
  readonly reason: RefusalReason;

  constructor(reason: RefusalReason, detail?: string) {
    super(detail === undefined ? REFUSAL_REASONS[reason] : `${REFUSAL_REASONS[reason]}: ${detail}`);
    this.name = 'ReportRefusal';
    this.reason = reason;
  }
}

export function isRefusal(error: unknown): error is ReportRefusal {
  return error instanceof ReportRefusal;
}
