/**
 * The report model: what we keep of an aggregate (rua) report, a TLS-RPT report and a failure (ruf) report,
 * normalised once at parse time (lower-case result words, canonical IP addresses, whole-second UTC times).
 * Names follow the RFCs' own XML and JSON vocabulary (RFC 7489 Appendix C, RFC 9990, RFC 8460 §4, RFC 6591).
 */
import type { IpText } from '../ip/index.ts';

export type ReportKind = 'aggregate' | 'tlsrpt' | 'failure';

/** Which aggregate schema the document follows: the pre-RFC draft, RFC 7489 Appendix C, or RFC 9990. */
export type AggregateSchema = 'draft' | 'rfc7489' | 'rfc9990';

/** RFC 9990 namespace of aggregate reports. */
export const DMARC_2_NAMESPACE = 'urn:ietf:params:xml:ns:dmarc-2.0';

export type Disposition = 'none' | 'quarantine' | 'reject' | 'pass';
export type PolicyAction = 'none' | 'quarantine' | 'reject';
export type Alignment = 'r' | 's';

export interface PublishedPolicy {
  /** The domain whose DMARC record was applied (RFC 7489 Appendix C `policy_published/domain`). */
  readonly domain: string;
  readonly adkim: Alignment | null;
  readonly aspf: Alignment | null;
  readonly p: PolicyAction | null;
  readonly sp: PolicyAction | null;
  /** RFC 9990 only. */
  readonly np: PolicyAction | null;
  /** RFC 7489 only; removed by RFC 9989. */
  readonly pct: number | null;
  readonly fo: string | null;
  /** RFC 9990 `testing` (the `t=` tag): y or n. */
  readonly testing: 'y' | 'n' | null;
  /** RFC 9990: how the policy was found. */
  readonly discoveryMethod: 'psl' | 'treewalk' | null;
}

/** Everything before the first `<record>`: who reports, about what, for when. */
export interface AggregateHeader {
  readonly schema: AggregateSchema;
  readonly version: string | null;
  /** As written; may be empty (some reporters leave it so). */
  readonly orgName: string;
  readonly email: string | null;
  readonly extraContactInfo: string | null;
  readonly reportId: string;
  /** Unix seconds, UTC. */
  readonly begin: number;
  readonly end: number;
  readonly errors: readonly string[];
  readonly generator: string | null;
  readonly policy: PublishedPolicy;
}

export interface DkimAuthResult {
  readonly domain: string | null;
  readonly selector: string | null;
  /** none, pass, fail, policy, neutral, temperror, permerror (RFC 7489 Appendix C DKIMResultType). */
  readonly result: string;
  readonly humanResult: string | null;
}

export interface SpfAuthResult {
  readonly domain: string | null;
  /** helo or mfrom. */
  readonly scope: string | null;
  /** none, neutral, pass, fail, softfail, temperror, permerror. */
  readonly result: string;
  readonly humanResult: string | null;
}

export interface PolicyOverride {
  /** forwarded, trusted_forwarder, mailing_list, local_policy, policy_test_mode or other. */
  readonly type: string;
  readonly comment: string | null;
}

/** One `<record>`: `count` messages from one source with the same results. */
export interface AggregateRecord {
  readonly sourceIp: IpText;
  readonly count: number;
  readonly disposition: Disposition;
  /** policy_evaluated: the DMARC-aligned DKIM and SPF results (RFC 7489 §4.2). */
  readonly dkim: 'pass' | 'fail';
  readonly spf: 'pass' | 'fail';
  readonly reasons: readonly PolicyOverride[];
  readonly headerFrom: string | null;
  readonly envelopeFrom: string | null;
  readonly envelopeTo: string | null;
  readonly dkimResults: readonly DkimAuthResult[];
  readonly spfResults: readonly SpfAuthResult[];
}

/** What the parser noticed but forgave, kept with the report. */
export interface ParseNotes {
  readonly recoveries: number;
  readonly skippedRecords: number;
  readonly notes: readonly string[];
  readonly encoding: string | null;
}

/** RFC 8460 §4.4 policy types; anything else is kept as written. */
export interface TlsPolicySummary {
  readonly policyType: string;
  readonly policyDomain: string;
  readonly policyString: readonly string[];
  readonly mxHost: readonly string[];
  readonly successfulSessions: number;
  readonly failedSessions: number;
  readonly failureDetails: readonly TlsFailureDetail[];
}

export interface TlsFailureDetail {
  readonly resultType: string;
  readonly sendingMtaIp: string | null;
  readonly receivingMxHostname: string | null;
  readonly receivingMxHelo: string | null;
  readonly receivingIp: string | null;
  readonly failedSessions: number;
  readonly additionalInformation: string | null;
  readonly failureReasonCode: string | null;
}

/** An SMTP TLS report (RFC 8460 §4). */
export interface TlsReport {
  readonly organizationName: string;
  readonly contactInfo: string | null;
  readonly reportId: string;
  readonly begin: number;
  readonly end: number;
  readonly policies: readonly TlsPolicySummary[];
}

/**
 * A failure report (RFC 6591 / RFC 5965 ARF, RFC 9991), already redacted: no local parts, no bodies, no
 * subjects. What is left is what diagnoses authentication: domains, IPs, results, DKIM and SPF details.
 */
export interface FailureReport {
  readonly feedbackType: string;
  readonly authFailure: readonly string[];
  readonly sourceIp: IpText | null;
  readonly reportedDomain: readonly string[];
  /** Domain part only. */
  readonly originalMailFromDomain: string | null;
  readonly originalRcptToDomain: string | null;
  /** ISO-8601, or null when absent or unparseable. */
  readonly arrivalDate: string | null;
  readonly reportingMta: string | null;
  readonly userAgent: string | null;
  readonly deliveryResult: string | null;
  readonly identityAlignment: string | null;
  readonly dkimDomain: string | null;
  readonly dkimSelector: string | null;
  readonly dkimIdentityDomain: string | null;
  readonly spfDns: string | null;
  readonly authenticationResults: readonly string[];
  /** The original message's header fields we keep, with every address local part redacted. */
  readonly originalHeaders: ReadonlyArray<readonly [string, string]>;
  /** The header From domain of the original message. */
  readonly originalFromDomain: string | null;
  /** Who sent the failure report (domain of the report message's From). */
  readonly reporter: string;
}
