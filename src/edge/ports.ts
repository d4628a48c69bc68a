import type { SealedSecret } from '../secrets/index.ts';
import type {
  AcmeAccount,
  AcmeChallenge,
  CertificateStatus,
  EdgeHost,
  HostRole,
  OrderFailure,
  PendingOrder,
  ServedHost,
  StoredCertificate,
} from './model.ts';

/** The grade a DNS check last gave one planned record of a domain (the checks capability keeps it). */
export interface RecordGrade {
  readonly status: 'perfect' | 'ok' | 'error' | 'temperror';
  /** The check's first error, for people. */
  readonly error: string | null;
  readonly checkedAt: string;
}

/** A change to a host's certificate state; fields left out stay as they are. */
export interface HostUpdate {
  readonly status?: CertificateStatus;
  readonly order?: PendingOrder | null;
  readonly attempts?: number;
  readonly nextAttemptAt?: string | null;
  readonly lastError?: OrderFailure | null;
}

/** A sealed key somewhere in the edge's tables, for a KEK rotation. */
export interface SealedEdgeKey {
  readonly kind: 'account' | 'certificate' | 'order';
  /** The row: the directory URL of an account, the id of a certificate, the host name of an order. */
  readonly id: string;
  /** What the sealing binds it to: the directory URL of an account, else the host name. */
  readonly owner: string;
  readonly secret: SealedSecret;
}

/** What the edge needs from the store. Tenant-facing reads take the tenant id. */
export interface EdgeRepository {
  /** Every host with its certificate state: for the scheduler (not for tenant-facing code). */
  hosts(): Promise<EdgeHost[]>;
  host(hostname: string): Promise<EdgeHost | null>;
  /** The tenant's hosts of one domain, or of all its domains. */
  hostsOfTenant(tenantId: string, domainId?: string): Promise<EdgeHost[]>;
  /** Adds a host in state pending; false when the name is taken already. */
  insertHost(host: {
    hostname: string;
    role: HostRole;
    domainId: string;
    tenantId: string;
    at: string;
  }): Promise<boolean>;
  /** Removes a host with its certificates and challenges. */
  removeHost(hostname: string): Promise<void>;
  updateHost(hostname: string, update: HostUpdate, at: string): Promise<void>;
  /**
   * Takes the host's lease until `until` for `owner` when it is free, expired or already the owner's, so that one
   * node at a time works on a host's order. True when taken.
   */
  claimHost(hostname: string, owner: string, until: string, now: string): Promise<boolean>;
  releaseHost(hostname: string, owner: string): Promise<void>;
  /** Stores a new certificate and makes it the host's current one, in one transaction; older ones but one go. */
  storeCertificate(certificate: StoredCertificate, update: HostUpdate, at: string): Promise<void>;
  /** The certificate served for a host right now. */
  currentCertificate(hostname: string): Promise<StoredCertificate | null>;

  /** What the listeners serve: every host with its domain's name and current certificate id. */
  servedHosts(): Promise<ServedHost[]>;
  /** Changes whenever a host or certificate is added, changed or removed (also by another node). */
  servedStamp(): Promise<string>;

  putChallenge(challenge: AcmeChallenge): Promise<void>;
  challenge(token: string): Promise<AcmeChallenge | null>;
  deleteChallenges(hostname: string): Promise<void>;

  account(directoryUrl: string): Promise<AcmeAccount | null>;
  /** Stores the account unless one exists for the directory (two nodes may race: the first one wins). */
  insertAccountIfAbsent(account: AcmeAccount): Promise<void>;

  /** Records that an order was placed (for the CA's rate limits), and counts those since a time. */
  recordOrder(hostname: string, url: string, at: string): Promise<void>;
  ordersSince(at: string): Promise<number>;

  /**
   * The latest grade of the given planned records of every checked domain (or of the listed domains): domain id →
   * record key → grade.
   */
  recordGrades(
    keys: readonly string[],
    domainIds?: readonly string[],
  ): Promise<Map<string, Map<string, RecordGrade>>>;

  sealedKeysNotUnder(kekId: string): Promise<SealedEdgeKey[]>;
  /** Compare-and-set on the old KEK id, so a re-wrap is safe beside a running node. */
  rewrapKey(key: SealedEdgeKey, to: SealedSecret): Promise<boolean>;
}
