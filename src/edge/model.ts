import type { SealedSecret } from '../secrets/index.ts';

/**
 * The edge's data: the customer host names it serves (each with a role, such as `click` for clicks.<domain>), the
 * state of each host's certificate, and the certificates themselves. Private keys exist here only sealed under the
 * key-encryption key; they are opened in memory to build a TLS context or a CSR and never leave the process.
 */

/** What a host name is for. Capabilities that serve on the edge add routes for their role (route-table.ts). */
export type HostRole = string;

/** The role of `clicks.<domain>` (the click label is per domain): click and open tracking, unsubscribes. */
export const CLICK_ROLE: HostRole = 'click';

/** The role of `mta-sts.<domain>`: the MTA-STS policy host (RFC 8461 §3.3). */
export const MTA_STS_ROLE: HostRole = 'mta-sts';

/**
 * Where a host's certificate stands:
 * - pending: no certificate yet; an order is under way or due;
 * - issued: a valid certificate, not yet due for renewal;
 * - renewing: a valid certificate past two thirds of its lifetime; a new order is under way or due;
 * - failed: the last order failed (the CA's error is kept); the next waits out a back-off. A certificate issued
 *   earlier may still be valid and served.
 */
export type CertificateStatus = 'pending' | 'issued' | 'renewing' | 'failed';

/** An order at the CA that is not finished: enough to resume it after a restart, on any node. */
export interface PendingOrder {
  /** The order URL (RFC 8555 §7.1.3), the handle for asking the CA where it stands. */
  readonly url: string;
  readonly startedAt: string;
  /** The key the certificate will certify, made when the order started, sealed. */
  readonly key: SealedSecret;
}

/** A failure as the tenant sees it: the CA's own words where the CA said something. */
export interface OrderFailure {
  readonly message: string;
  readonly at: string;
}

/** The parts of a certificate that status pages show. */
export interface CertificateSummary {
  readonly id: string;
  /** Hexadecimal, upper case, as openssl prints it. */
  readonly serial: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly issuedAt: string;
  /** SHA-256 of the leaf, colon-separated hex (X509Certificate.fingerprint256). */
  readonly fingerprint: string;
}

/** A certificate with its chain and its sealed key, as stored. */
export interface StoredCertificate extends CertificateSummary {
  readonly hostname: string;
  /** The leaf first, then the intermediates, PEM. */
  readonly chainPem: string;
  readonly key: SealedSecret;
}

/** A host name the edge serves, and where its certificate stands. */
export interface EdgeHost {
  /** Lower case, A-labels, no trailing dot. */
  readonly hostname: string;
  readonly role: HostRole;
  readonly domainId: string;
  readonly tenantId: string;
  readonly status: CertificateStatus;
  readonly order: PendingOrder | null;
  /** Failures since the last success: the back-off grows with them. */
  readonly attempts: number;
  /** Not before this time does the scheduler order again (back-off after a failure); null: as soon as due. */
  readonly nextAttemptAt: string | null;
  readonly lastError: OrderFailure | null;
  readonly certificate: CertificateSummary | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the edge's listeners need to know about a host, loaded for every host at once. */
export interface ServedHost {
  readonly hostname: string;
  readonly role: HostRole;
  readonly domainId: string;
  readonly tenantId: string;
  /** The sender domain the host belongs to (clicks.example.com → example.com). */
  readonly domain: string;
  /** The certificate served for it, or null while there is none. */
  readonly certificateId: string | null;
}

/** An HTTP-01 challenge to answer (RFC 8555 §8.3): the token in the URL and the key authorization to return. */
export interface AcmeChallenge {
  readonly token: string;
  readonly hostname: string;
  readonly keyAuthorization: string;
  readonly createdAt: string;
}

/** The ACME account of one CA directory; its key is sealed. */
export interface AcmeAccount {
  readonly directoryUrl: string;
  readonly accountUrl: string;
  readonly key: SealedSecret;
  readonly createdAt: string;
}
