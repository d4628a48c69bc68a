import type { DnsResponse, ResourceRecord } from '../resolver/index.ts';
import { isAtOrBelow } from './delegation-cache.ts';

/**
 * One authoritative server's reply, classified for the walk (RFC 1034 §4.3.2, RFC 4697 on lame delegations):
 * an authoritative answer (AA set), a referral to a zone cut below the zone asked, or trouble with the server.
 */
export type Classified =
  | { readonly kind: 'answer'; readonly response: Extract<DnsResponse, { outcome: 'response' }> }
  | {
      readonly kind: 'referral';
      readonly zone: string;
      readonly ns: readonly ResourceRecord[];
      readonly glue: readonly ResourceRecord[];
    }
  | { readonly kind: 'lame' | 'timeout' | 'servfail' | 'failure'; readonly detail: string };

/** Classifies `response` from a server asked about `qname` as one of the servers of `zone`. */
export function classify(response: DnsResponse, zone: string, qname: string): Classified {
  if (response.outcome === 'timeout') return { kind: 'timeout', detail: 'no answer in time' };
  if (response.outcome === 'failure') return { kind: 'failure', detail: response.reason };
  if (response.rcode === 'SERVFAIL') return { kind: 'servfail', detail: 'SERVFAIL' };
  if (response.rcode !== 'NOERROR' && response.rcode !== 'NXDOMAIN')
    return { kind: 'lame', detail: `${response.rcode}: the server does not serve ${zone || 'the root'}` };
  if (response.flags.aa) return { kind: 'answer', response };
  // A referral: NS records for a zone strictly below the one we asked about, on the way to the name.
  const ns = response.authority.filter((r) => r.data.type === 'NS');
  const cut = ns[0]?.name;
  if (cut !== undefined && cut !== zone && isAtOrBelow(cut, zone) && isAtOrBelow(qname, cut)) {
    return { kind: 'referral', zone: cut, ns: ns.filter((r) => r.name === cut), glue: response.additional };
  }
  return { kind: 'lame', detail: `not authoritative for ${zone || 'the root'} (no AA bit, no referral)` };
}

/**
 * The apex of the zone that holds `name`, read from an authoritative answer to `name SOA` (RFC 1034 §4.3.2,
 * RFC 2181 §6: the zone is the one whose SOA its server gives, whether or not a referral led there): the SOA at
 * the name itself, or the SOA in the authority section of a negative answer (RFC 2308 §2). Null when the answer
 * shows neither (a CNAME at the name: then the zone is found from the parent name).
 */
export function apexFromSoaAnswer(response: Extract<DnsResponse, { outcome: 'response' }>, name: string) {
  const own = response.answers.find((r) => r.name === name && r.data.type === 'SOA');
  if (own !== undefined) return name;
  if (response.answers.some((r) => r.name === name && r.data.type === 'CNAME')) return null;
  const soa = response.authority.find((r) => r.data.type === 'SOA' && isAtOrBelow(name, r.name));
  return soa?.name ?? null;
}

/**
 * The zone an authoritative answer about `name` shows it came from, without asking for the SOA: the SOA of a
 * negative answer (RFC 2308 §2), or the zone's NS RRset that servers such as NSD add to the authority section
 * of a positive answer (RFC 1034 §4.3.2 step 3a). Null when the answer does not say (Knot and BIND answer
 * minimally), or when the name is a CNAME, whose chain may have led the server into another zone it serves.
 */
export function apexShownBy(response: Extract<DnsResponse, { outcome: 'response' }>, name: string) {
  if (response.answers.some((r) => r.name === name && r.data.type === 'CNAME')) return null;
  const proof = response.authority.find(
    (r) => (r.data.type === 'SOA' || r.data.type === 'NS') && isAtOrBelow(name, r.name),
  );
  return proof?.name ?? null;
}
