/**
 * Who really sent a report (pure). The rua address is public by design (RFC 7489 §7.1), so anyone can mail a
 * report about any domain and name any `org_name` in it: a report's own words prove nothing. What can be checked
 * is the message that carried it — a DKIM signature that verifies (RFC 6376 §6) or the SMTP client's
 * forward-confirmed reverse name (RFC 8601 §3 "iprev") — and whether that identity belongs to the reporter the
 * report names. Each stored report keeps the verdict, and the DMARC autopilot counts only verified reporters.
 *
 * The rule (docs/reports.md "Reporter verification"):
 * - The reporter's domain is the domain of the report's `email` (RFC 7489 Appendix C `report_metadata/email`, RFC
 *   8460 `contact-info`) or, when there is none, `org_name` if that is a domain name.
 * - `dkim`: a DKIM signature on the message passed, and its `d=` has the same organisational domain (RFC 7489
 *   §3.2, the registrable domain under the Public Suffix List) as the reporter's domain.
 * - `fcrdns`: the SMTP client's reverse name resolves back to its address and lies in that organisational domain.
 * - `operator`: an owner or operator said to trust the input (an upload or import with the trust flag, or the
 *   `reports trust` command).
 * - `unverified`: none of these, with the reason. `legacy`: stored before verification existed.
 * The verified identity is the organisational domain, not `org_name`: a forger who signs for a domain of their
 * own is a verified reporter under that domain's name, and never under the name they wrote.
 */

export type ReporterTrust = 'dkim' | 'fcrdns' | 'operator' | 'unverified' | 'legacy';

export const REPORTER_TRUSTS: readonly ReporterTrust[] = [
  'dkim',
  'fcrdns',
  'operator',
  'unverified',
  'legacy',
];

/** Trusts that prove the reporter: what the autopilot counts (and `legacy` during the transition). */
export const VERIFIED_TRUSTS: readonly ReporterTrust[] = ['dkim', 'fcrdns', 'operator'];

export interface TrustVerdict {
  readonly trust: ReporterTrust;
  /** One sentence: what was checked and what it showed. */
  readonly reason: string;
  /** The organisational domain the verification proved (null when unverified or legacy). */
  readonly verifiedDomain: string | null;
}

/** What the message that carried the reports proves, gathered once per input (message-evidence.ts). */
export interface MessageEvidence {
  /** Signing domains (`d=`, lower case) of the DKIM signatures that passed. */
  readonly dkimPass: readonly string[];
  /** A line on what DKIM verification saw ("no DKIM signature", "d=example.com fail: body hash"). */
  readonly dkimSummary: string;
  /** The SMTP client's address, if the input came over SMTP. */
  readonly clientIp: string | null;
  /** Its reverse name, only when forward-confirmed; null otherwise. */
  readonly clientName: string | null;
}

export interface TrustInput {
  readonly orgName: string;
  readonly email: string | null;
  readonly evidence: MessageEvidence | null;
  /** The caller (an owner or operator) asked to trust this input. */
  readonly operatorTrust: boolean;
  readonly organizationalDomain: (name: string) => string;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/** The reporter's domain: the `email` domain, else `org_name` when it is a domain name; lower case, no dot. */
export function reporterDomain(orgName: string, email: string | null): string | null {
  const at = email?.lastIndexOf('@') ?? -1;
  const fromEmail =
    email !== null && at >= 0
      ? email
          .slice(at + 1)
          .trim()
          .toLowerCase()
          .replace(/\.$/, '')
      : '';
  if (DOMAIN.test(fromEmail)) return fromEmail;
  const org = orgName.trim().toLowerCase().replace(/\.$/, '');
  return DOMAIN.test(org) ? org : null;
}

const within = (name: string, org: string) => name === org || name.endsWith(`.${org}`);

export function judgeReporter(input: TrustInput): TrustVerdict {
  const domain = reporterDomain(input.orgName, input.email);
  if (input.operatorTrust) {
    return {
      trust: 'operator',
      reason: 'trusted by an operator when the input was uploaded or imported',
      verifiedDomain: domain === null ? null : input.organizationalDomain(domain),
    };
  }
  const evidence = input.evidence;
  if (domain === null) {
    return {
      trust: 'unverified',
      reason: 'the report names no domain to check (no email address, and org_name is no domain name)',
      verifiedDomain: null,
    };
  }
  const org = input.organizationalDomain(domain);
  if (evidence === null) {
    return {
      trust: 'unverified',
      reason: `no message to check for ${org}: an upload or import without DKIM, not marked as trusted`,
      verifiedDomain: null,
    };
  }
  // RFC 7489 §3.1.1 relaxed alignment: the signing domain and the reporter's domain share an organisational domain.
  const signer = evidence.dkimPass.find((d) => input.organizationalDomain(d) === org);
  if (signer !== undefined) {
    return { trust: 'dkim', reason: `DKIM signature of d=${signer} verified`, verifiedDomain: org };
  }
  const name = evidence.clientName;
  if (name !== null && within(name, org)) {
    return {
      trust: 'fcrdns',
      reason: `sent from ${evidence.clientIp ?? '?'}, whose forward-confirmed name ${name} is in ${org}`,
      verifiedDomain: org,
    };
  }
  const client =
    evidence.clientIp === null
      ? 'not received over SMTP, and not marked as trusted'
      : `client ${evidence.clientIp} ${name === null ? 'has no forward-confirmed name' : `is ${name}, not in ${org}`}`;
  return {
    trust: 'unverified',
    reason: `nothing proves ${org}: ${evidence.dkimSummary}; ${client}`,
    verifiedDomain: null,
  };
}

/** Whether a report with this trust counts as evidence (legacy only during the transition). */
export function countsAsEvidence(trust: ReporterTrust, legacyCounts: boolean): boolean {
  return VERIFIED_TRUSTS.includes(trust) || (trust === 'legacy' && legacyCounts);
}
