import type { SealedSecret } from '../secrets/index.ts';
import type { DkimKey, KeyAlgorithm } from './model.ts';
import type { PolicyOverrides } from './rotation-policy.ts';

/** A change to some keys of one domain, applied in one transaction with a `changes` row (the DNS reloads). */
export interface KeyUpdate {
  readonly id: string;
  readonly changes: Partial<
    Pick<
      DkimKey,
      | 'state'
      | 'activatedAt'
      | 'retiringAt'
      | 'retiredAt'
      | 'revokedAt'
      | 'visibleAt'
      | 'activationOverride'
      | 'revokeReason'
    >
  >;
}

/** A sealed private key with what its additional authenticated data is made of. */
export interface SealedKeyRow {
  readonly id: string;
  readonly tenantId: string;
  readonly domainId: string;
  readonly algorithm: KeyAlgorithm;
  readonly secret: SealedSecret;
}

/** What the dkim capability needs from the store. */
export interface DkimKeyRepository {
  /**
   * Stores a new (pending) key and its sealed private key. In the same transaction: revoked keys in the same
   * selector leave the zone (`unpublish`), pending keys it replaces are revoked, and a change is logged.
   */
  insert(
    key: DkimKey,
    secret: SealedSecret,
    also: {
      readonly unpublish: readonly string[];
      readonly revoke: readonly string[];
      readonly reason: string;
    },
  ): Promise<void>;
  /** Applies updates to keys of one domain and logs a change for the domain, atomically. */
  update(domainId: string, tenantId: string, updates: readonly KeyUpdate[], at: string): Promise<void>;
  /** Every key of a domain, newest first, including revoked and unpublished ones (history). */
  listByDomain(domainId: string): Promise<DkimKey[]>;
  /** Every key of every domain that is still in the zone (all but revoked keys that a newer key displaced). */
  listInZone(): Promise<DkimKey[]>;
  /** The keys of one domain still in the zone. */
  listInZoneByDomain(domainId: string): Promise<DkimKey[]>;
  /** The same for many domains at once (a full zone build), in creation order. */
  listInZoneByDomains(domainIds: readonly string[]): Promise<DkimKey[]>;
  findById(domainId: string, keyId: string): Promise<DkimKey | null>;
  sealedKey(keyId: string): Promise<SealedKeyRow | null>;
  /** Every sealed private key whose KEK is not `kekId` (for re-wrapping after a KEK rotation). */
  sealedKeysNotUnder(kekId: string): Promise<SealedKeyRow[]>;
  /** Replaces a sealed key only if it is still sealed under `fromKekId` (compare-and-set). */
  rewrap(keyId: string, fromKekId: string, to: SealedSecret): Promise<boolean>;
  policyOverrides(domainId: string): Promise<PolicyOverrides>;
  allPolicyOverrides(): Promise<Map<string, PolicyOverrides>>;
  /** The overrides of these domains (those that have any), for a batch of a full zone build. */
  policyOverridesOf(domainIds: readonly string[]): Promise<Map<string, PolicyOverrides>>;
  setPolicyOverrides(
    domainId: string,
    tenantId: string,
    overrides: PolicyOverrides,
    at: string,
  ): Promise<void>;
  /** When each notice was last raised, by domain id and notice key. */
  lastNotices(): Promise<Map<string, Map<string, string>>>;
  recordNotice(domainId: string, noticeKey: string, at: string): Promise<void>;
  /** Domain ids with a change after `afterId`, and the newest change id (for cache invalidation across nodes). */
  changedDomainsSince(afterId: number): Promise<{ latest: number; domainIds: string[] }>;
  latestChangeId(): Promise<number>;
}

/** Outcome of looking for a key through the customer's DNS. */
export type Visibility =
  | { readonly status: 'visible' }
  | { readonly status: 'absent' | 'different' | 'error'; readonly detail: string };

/**
 * Does a resolver see this key at `<selector>._domainkey.<domain>` (through the customer's CNAME in delegated
 * mode, or their own TXT when self-hosted)? Compares the public key bytes.
 */
export interface KeyVisibilityProbe {
  check(domain: string, selector: string, publicKey: string): Promise<Visibility>;
}
