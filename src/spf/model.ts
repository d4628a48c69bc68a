import type { IpAddress } from '../ip/index.ts';
import type { ResourceData } from '../resolver/index.ts';

/** The results of check_host() (RFC 7208 §2.6). */
export type SpfResult = 'none' | 'neutral' | 'pass' | 'fail' | 'softfail' | 'temperror' | 'permerror';

/** What one DNS question gave, as check_host() needs to tell it apart (RFC 7208 §4.4, §4.6.4, §5). */
export type SpfDnsAnswer =
  | { readonly status: 'found'; readonly records: readonly ResourceData[] }
  | { readonly status: 'nxdomain' }
  | { readonly status: 'nodata' }
  /** A timeout, SERVFAIL or other failure: the answer is unknown, not empty (RFC 7208 §2.6.6). */
  | { readonly status: 'temperror'; readonly reason: string };

/** The evaluator's port to the DNS. CNAMEs are followed by whoever implements it (a resolver does). */
export interface SpfDns {
  lookup(name: string, type: 'TXT' | 'A' | 'AAAA' | 'MX' | 'PTR'): Promise<SpfDnsAnswer>;
}

export type Qualifier = '+' | '-' | '~' | '?';

export type Mechanism =
  | { readonly kind: 'all' }
  | { readonly kind: 'include' | 'exists'; readonly domainSpec: string }
  | {
      readonly kind: 'a' | 'mx';
      readonly domainSpec: string | null;
      readonly cidr4: number;
      readonly cidr6: number;
    }
  | { readonly kind: 'ptr'; readonly domainSpec: string | null }
  | {
      readonly kind: 'ip4' | 'ip6';
      readonly network: IpAddress;
      readonly prefix: number;
      readonly text: string;
    };

export interface Directive {
  readonly qualifier: Qualifier;
  readonly mechanism: Mechanism;
  /** The term as written, for traces and remarks. */
  readonly text: string;
}

export interface SpfRecord {
  readonly directives: readonly Directive[];
  readonly redirect: string | null;
  readonly exp: string | null;
  /** Modifiers other than redirect and exp: ignored (RFC 7208 §6), listed for remarks. */
  readonly unknownModifiers: readonly string[];
}

/** One step of an evaluation, for showing which path spends the DNS lookups. */
export interface SpfStep {
  /** The chain of domains from the first record to the one holding this term. */
  readonly path: readonly string[];
  readonly term: string;
  /** Counted towards the 10-lookup limit (RFC 7208 §4.6.4). */
  readonly lookup: boolean;
  /** The lookup found nothing: NXDOMAIN or no records (RFC 7208 §4.6.4 "void lookups"). */
  readonly void: boolean;
  /** Running totals after this step. */
  readonly lookupsSoFar: number;
  readonly voidLookupsSoFar: number;
  readonly note?: string;
}

export interface SpfOutcome {
  readonly result: SpfResult;
  /** Why, in a sentence: the matching term, or the error. */
  readonly reason: string;
  /** The `exp=` text when the result is fail (RFC 7208 §6.2), else undefined. */
  readonly explanation?: string;
  /** The term that decided the result, if a mechanism matched. */
  readonly matched?: { readonly term: string; readonly domain: string };
  readonly lookups: number;
  readonly voidLookups: number;
  readonly steps: readonly SpfStep[];
}

export interface CheckHostInput {
  /** The client IP (IPv4, IPv6, or IPv4-mapped IPv6). */
  readonly ip: string;
  readonly domain: string;
  /** The MAIL FROM address (`local@domain`), or `postmaster@<helo>` for a null sender. */
  readonly sender: string;
  readonly helo: string;
}

export interface CheckHostOptions {
  readonly dns: SpfDns;
  /** The receiving host's domain, for the %{r} macro in explanations (RFC 7208 §7.2). */
  readonly receivingHost?: string;
  /** Seconds since the epoch for %{t}; injected so evaluations are reproducible. */
  readonly now?: () => number;
  readonly defaultExplanation?: string;
  /** RFC 7208 §4.6.4: 10 DNS-querying terms, 2 void lookups. */
  readonly maxLookups?: number;
  readonly maxVoidLookups?: number;
  /**
   * Walk every term even after one matched, so the count is the worst case a receiver can spend (an IP that
   * matches nothing). The result is then that of the worst-case walk, not of this IP.
   */
  readonly exhaustive?: boolean;
}
