/**
 * The DNS-lookup budget of the hosted SPF record t.spf.<zone> (RFC 7208 §4.6.4): one SPF check may cause at
 * most 10 lookups by `include`, `a`, `mx`, `ptr`, `exists` and `redirect=`, counted across every nested record;
 * `ip4`, `ip6` and `all` cost nothing.
 *
 * What we count for a customer's domain d: 1 for `include:t.spf.<zone>` in d's own record, 1 for
 * `include:spf.<zone>` inside t.spf.<zone> (spf.<zone> holds only ip4/ip6, so nothing more), and 1 for each of
 * the customer's own lookup mechanisms. Records the customer includes may cost more lookups of their own
 * (`include:_spf.google.com` costs 4 in all), which we cannot see without resolving them, and a lookup that
 * finds nothing is a "void lookup", of which only 2 are allowed; neither is counted here. That is why, as soon
 * as the customer adds any lookup mechanism, the platform's egress addresses are written inline instead of
 * `include:spf.<zone>` (flattened): the platform then costs their budget nothing beyond the one include at d.
 */

/** RFC 7208 §4.6.4: the most DNS-querying terms one check may evaluate. */
export const SPF_LOOKUP_LIMIT = 10;

/** The most lookup mechanisms a customer may add: the limit less d's own `include:t.spf.<zone>`. */
export const CUSTOMER_LOOKUP_LIMIT = SPF_LOOKUP_LIMIT - 1;

/** How many of these SPF terms cause a DNS lookup when evaluated (not counting nested records). */
export function countLookupTerms(terms: readonly string[]): number {
  let count = 0;
  for (const term of terms) {
    const bare = term.replace(/^[+\-~?]/, '').toLowerCase();
    if (/^(include:|exists:|redirect=|ptr(:|\/|$)|a(:|\/|$)|mx(:|\/|$))/.test(bare)) count++;
  }
  return count;
}

/** RFC 7208 §5.6: `ip4:`/`ip6:` mechanisms for addresses or CIDR ranges. */
export function ipMechanisms(addresses: readonly string[]): string[] {
  return addresses.map((ip) => (ip.includes(':') ? `ip6:${ip}` : `ip4:${ip}`));
}

/**
 * The SPF record hosted at t.spf.<zone>: the platform's senders plus the customer's own servers, flattened
 * (see the file comment) when the customer's mechanisms cause lookups and the egress addresses are known.
 */
export function hostedSpfRecord(
  mechanisms: readonly string[],
  platformSpf: string,
  egressIps?: readonly string[],
): string {
  const flatten = egressIps !== undefined && countLookupTerms(mechanisms) > 0;
  const platform = flatten ? ipMechanisms(egressIps) : [`include:${platformSpf}`];
  return ['v=spf1', ...platform, ...mechanisms, '-all'].join(' ');
}
