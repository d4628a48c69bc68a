/**
 * Which sender domain (and so which tenant) a report belongs to. The rule, in order:
 * 1. The rua token of the address the report was sent to (`<token>@reports.<zone>`). Only the domain's owner can
 *    publish a DMARC record pointing at that address, so the token proves ownership. The report must be about
 *    that domain, a parent or a subdomain of it (the receiver may have found the policy at the organisational
 *    domain, RFC 7489 §6.6.3); a report about an unrelated domain is refused, so nobody can push data about
 *    another domain into a tenant's statistics.
 * 2. The tenant the input came from (an upload with its API key, an import or IMAP mailbox configured for a
 *    tenant): that tenant's domain of exactly the report's policy domain.
 * 3. Otherwise (an operator's import or mailbox): the domain with the report's policy domain, but only a verified
 *    one (its CNAMEs point at its own token). Any tenant can add any name without proving it, and a report names
 *    the domain's senders and volumes, so an unproven claim gets nothing (`unverified_domain`), even when it is
 *    the only one; if several are verified, nobody does (`ambiguous_domain`). A report is never copied to several
 *    tenants.
 * Before all of these: a report whose policy domain is a public suffix (`com`, `co.uk`, `github.io`) is refused.
 * No DMARC policy of a sender domain is found there (RFC 7489 §6.6.3 stops at the organisational domain), so such
 * a report is forged or broken, and taken as a "parent" it would put anyone's data into a tenant's statistics.
 */
import { splitAddress } from '../mail/index.ts';

export interface DomainRef {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly token: string;
  readonly verified: boolean;
}

export type AttributionRule = 'token' | 'tenant' | 'verified_policy_domain';

export type Attribution =
  | { readonly ok: true; readonly domain: DomainRef; readonly rule: AttributionRule }
  | {
      readonly ok: false;
      readonly reason:
        | 'unknown_domain'
        | 'ambiguous_domain'
        | 'unverified_domain'
        | 'policy_domain_mismatch'
        | 'public_suffix_policy_domain';
      readonly detail: string;
      /** The domain to file the refusal under, when the address named one. */
      readonly domain: DomainRef | null;
    };

export interface AttributionInput {
  readonly policyDomain: string | null;
  /** Domains named by the tokens of the recipient addresses. */
  readonly tokenDomains: readonly DomainRef[];
  /** The tenant the input came from, if any. */
  readonly tenantId: string | null;
  /** Every domain, of any tenant, whose name is the policy domain. */
  readonly candidates: readonly DomainRef[];
  /** Whether a name is a public suffix (the Public Suffix List); none is, when not given. */
  readonly isPublicSuffix?: (name: string) => boolean;
}

/** True if one name is the other or a subdomain of it. */
export function related(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

export function attribute(input: AttributionInput): Attribution {
  const { policyDomain, tokenDomains, tenantId, candidates } = input;
  if (policyDomain !== null && input.isPublicSuffix?.(policyDomain) === true) {
    return {
      ok: false,
      reason: 'public_suffix_policy_domain',
      detail: `the report is about ${policyDomain}, a public suffix`,
      domain: tokenDomains[0] ?? null,
    };
  }
  if (tokenDomains.length > 0) {
    const match =
      policyDomain === null
        ? tokenDomains[0]
        : (tokenDomains.find((d) => d.name === policyDomain) ??
          tokenDomains.find((d) => related(d.name, policyDomain)));
    if (match !== undefined) return { ok: true, domain: match, rule: 'token' };
    return {
      ok: false,
      reason: 'policy_domain_mismatch',
      detail: `the report is about ${policyDomain ?? '?'}, sent to the address of ${tokenDomains.map((d) => d.name).join(', ')}`,
      domain: tokenDomains[0]!,
    };
  }
  if (policyDomain === null) {
    return { ok: false, reason: 'unknown_domain', detail: 'the report names no policy domain', domain: null };
  }
  if (tenantId !== null) {
    const own = candidates.find((d) => d.tenantId === tenantId);
    if (own !== undefined) return { ok: true, domain: own, rule: 'tenant' };
    return {
      ok: false,
      reason: 'unknown_domain',
      detail: `this tenant has no domain ${policyDomain}`,
      domain: null,
    };
  }
  const verified = candidates.filter((d) => d.verified);
  if (verified.length === 1) return { ok: true, domain: verified[0]!, rule: 'verified_policy_domain' };
  if (verified.length === 0 && candidates.length === 1) {
    return {
      ok: false,
      reason: 'unverified_domain',
      detail: `the only tenant with ${policyDomain} has not verified it; give the tenant (reports import --tenant, or an upload with its API key) to attribute it`,
      domain: null,
    };
  }
  if (candidates.length === 0) {
    return {
      ok: false,
      reason: 'unknown_domain',
      detail: `no tenant has the domain ${policyDomain}`,
      domain: null,
    };
  }
  return {
    ok: false,
    reason: 'ambiguous_domain',
    detail: `${candidates.length} tenants have ${policyDomain} and ${verified.length} of them are verified`,
    domain: null,
  };
}

/** The token of a recipient address on the reports host, or null. Tokens are compared in lower case. */
export function tokenOf(address: string, reportsHost: string): string | null {
  const { localPart, domain } = splitAddress(address.trim().replace(/^<|>$/g, '').toLowerCase());
  if (domain === null || domain.replace(/\.$/, '') !== reportsHost.toLowerCase()) return null;
  return /^[a-z2-7]{4,64}$/.test(localPart) ? localPart : null;
}
