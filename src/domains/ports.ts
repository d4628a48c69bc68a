import type { DomainName } from '../domain-name/index.ts';
import type { SenderDomain } from './model.ts';
import type { PublishedDkimKey } from './record-plan.ts';

/** What the domains capability needs from the store. Every read and write is scoped to one tenant. */
export interface DomainRepository {
  /**
   * Inserts the domain and reserves its token for ever. Returns 'token_taken' if the token was issued before
   * (the caller draws another) and 'name_taken' if the tenant already has this domain.
   */
  insert(domain: SenderDomain): Promise<'ok' | 'token_taken' | 'name_taken'>;
  findByName(tenantId: string, name: DomainName): Promise<SenderDomain | null>;
  /** Any tenant's domain by id: for the zone builder and schedulers (not for tenant-facing code). */
  findById(id: string): Promise<SenderDomain | null>;
  listByTenant(tenantId: string): Promise<SenderDomain[]>;
  update(domain: SenderDomain): Promise<void>;
  /** Every domain of every tenant, by name: for the zone builder and the schedulers (not for tenant-facing code). */
  listAll(): Promise<SenderDomain[]>;
  /** At most `limit` domains of every tenant with ids greater than `afterId`, by id: a page of `listAll`. */
  listAfter(afterId: string, limit: number): Promise<SenderDomain[]>;
  /** How many domains there are, of every tenant. */
  countAll(): Promise<number>;
  /** Records when the domain was first seen verified (or null to clear it). Logs a change. */
  setVerified(domainId: string, at: string | null, now: string): Promise<void>;
  /** Deletes the domain; its token stays reserved. Returns false if there was no such domain. */
  remove(tenantId: string, name: DomainName, at: string): Promise<boolean>;
}

/** The DKIM keys published for a domain right now (the dkim capability provides this). */
export interface DkimKeyLookup {
  publishedKeys(domainId: string): Promise<readonly PublishedDkimKey[]>;
  /** Selectors beyond the domain's three that the customer should point at senderd (Ed25519 series). */
  extraSelectors?(domainId: string): Promise<readonly string[]>;
  /** Both of the above for many domains at once (a full zone build asks once, not per domain). */
  zoneKeysFor?(
    domainIds: readonly string[],
  ): Promise<
    ReadonlyMap<
      string,
      { readonly published: readonly PublishedDkimKey[]; readonly extraSelectors: readonly string[] }
    >
  >;
}

/** The DMARC (and, once enforced, BIMI) record to publish for a domain now (the dmarc capability provides it). */
export interface PolicyRecordSource {
  recordsFor(domain: SenderDomain): Promise<{ readonly dmarc: string; readonly bimi?: string }>;
  recordsForMany?(
    domains: readonly SenderDomain[],
  ): Promise<ReadonlyArray<{ readonly dmarc: string; readonly bimi?: string }>>;
}
