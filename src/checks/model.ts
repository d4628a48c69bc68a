import type { RecordType, ResourceRecord } from '../resolver/index.ts';

/**
 * What a check finds, as data (STYLE.md "outcomes are data"): a grade per planned record, with remarks a person
 * can act on, what each server answered, and the TTL left.
 */

/**
 * - perfect: the record means exactly what the plan says.
 * - ok: it works, with something worth knowing (a flattened CNAME, a stale resolver, a harmless difference).
 * - error: it does not work as planned; the remarks say why and what to do.
 * - temperror: it could not be checked now (timeout, SERVFAIL). Not the same as missing; try again later.
 */
export type Grade = 'perfect' | 'ok' | 'error' | 'temperror';

export type RemarkSeverity = 'note' | 'warning' | 'error' | 'temperror';

export interface Remark {
  /** Stable, documented in docs/checks.md (`cname-flattened`, `spf-too-many-lookups`, ...). */
  readonly code: string;
  readonly severity: RemarkSeverity;
  /** A sentence or two for a person: what is wrong and what to do. */
  readonly message: string;
}

export type ViewPath = 'authoritative' | 'recursive';

/** One value seen for a record, and who saw it. */
export interface Observation {
  readonly path: ViewPath;
  /** `ns1.example.com (192.0.2.53)` or `resolver 192.0.2.1:53`. */
  readonly server: string;
  /** The name asked and each CNAME followed: `sd1._domainkey.example.com → CNAME sd1.t.dkim.Z`. */
  readonly name: string;
  readonly type: string;
  /** The value in presentation form (TXT as quoted strings, so the splitting shows), or null for none. */
  readonly value: string | null;
  /** TTL in the answer: the full TTL from an authoritative server, the TTL left from a resolver. */
  readonly ttl: number | null;
}

export interface RecordCheck {
  /** Stable key of the planned record within the domain: `dkim:sd1`, `dmarc`, `bounce`, `bounce-mx`, `spf`, ... */
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly purpose: string;
  readonly required: boolean;
  /** The planned value, as the customer enters it. */
  readonly expected: string;
  readonly grade: Grade;
  readonly remarks: readonly Remark[];
  readonly observed: readonly Observation[];
}

export interface NameserverStatus {
  readonly name: string;
  readonly address: string;
  readonly status: 'ok' | 'lame' | 'timeout' | 'servfail' | 'failure';
  /** The zone's SOA serial as this server gives it; null when it gave none. */
  readonly serial: number | null;
}

export interface DomainCheck {
  readonly domain: string;
  readonly mode: string;
  readonly checkedAt: string;
  /** The worst grade over the records (see docs/checks.md). */
  readonly grade: Grade;
  /** This check saw proof that the domain's DNS points at this tenant's token. */
  readonly verification: { readonly verified: boolean; readonly evidence: string | null };
  readonly zone: {
    readonly apex: string | null;
    readonly nameservers: readonly NameserverStatus[];
    readonly remarks: readonly Remark[];
  };
  readonly records: readonly RecordCheck[];
  readonly stats: { readonly queries: number; readonly ms: number };
}

/** One CNAME followed. */
export interface CnameLink {
  readonly owner: string;
  readonly target: string;
  readonly ttl: number;
  readonly server: string;
}

export type LookupStatus =
  'found' | 'nodata' | 'nxdomain' | 'timeout' | 'servfail' | 'lame' | 'refused' | 'loop' | 'failure';

/** One name and type through one path, with CNAMEs followed. */
export interface Lookup {
  readonly name: string;
  readonly type: RecordType;
  readonly status: LookupStatus;
  readonly chain: readonly CnameLink[];
  /** Records of the asked type at the end of the chain. */
  readonly records: readonly ResourceRecord[];
  /** Who gave the final answer. */
  readonly server: string;
  readonly detail?: string;
  /** Authoritative servers of the same zone that answered differently. */
  readonly disagreements: readonly string[];
}

/** One way of seeing the DNS: the domain's own authoritative servers, or one recursive resolver. */
export interface DnsView {
  readonly path: ViewPath;
  readonly label: string;
  lookup(name: string, type: RecordType): Promise<Lookup>;
}
