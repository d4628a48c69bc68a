/**
 * What the certificate issuer needs from an ACME CA (RFC 8555), as a port: the issuer's logic (resume, back-off,
 * storage) is tested without a network, and the adapter over the acme-client library (acme-client-ca.ts) is the
 * only code that speaks the protocol.
 */

/** RFC 8555 §7.1.6: the states of an order. */
export type OrderStatus = 'pending' | 'ready' | 'processing' | 'valid' | 'invalid';

/** An ACME problem document (RFC 8555 §6.7), as far as the tenant needs it. */
export interface AcmeProblem {
  readonly type: string;
  readonly detail: string;
}

export interface AcmeOrder {
  readonly url: string;
  readonly status: OrderStatus;
  readonly authorizations: readonly string[];
  readonly finalize: string;
  readonly certificate?: string;
  readonly error?: AcmeProblem;
}

export interface AcmeChallengeOffer {
  readonly type: string;
  readonly url: string;
  readonly token: string;
  readonly status: 'pending' | 'processing' | 'valid' | 'invalid';
  readonly error?: AcmeProblem;
}

/** RFC 8555 §7.1.4. */
export interface AcmeAuthorization {
  readonly url: string;
  readonly identifier: { readonly type: string; readonly value: string };
  readonly status: 'pending' | 'valid' | 'invalid' | 'deactivated' | 'expired' | 'revoked';
  readonly challenges: readonly AcmeChallengeOffer[];
}

/** A CA session bound to one account. */
export interface AcmeCa {
  /** A new order for one DNS name (RFC 8555 §7.4). */
  newOrder(hostname: string): Promise<AcmeOrder>;
  /** Where an order stands (POST-as-GET, §7.4); a restarted node resumes from here. */
  order(url: string): Promise<AcmeOrder>;
  authorization(url: string): Promise<AcmeAuthorization>;
  /** The key authorization to serve for a challenge token (§8.1: token "." base64url(JWK thumbprint)). */
  keyAuthorization(token: string): Promise<string>;
  /** Tells the CA the challenge can be validated now (§7.5.1). */
  respond(challengeUrl: string): Promise<void>;
  /** Sends the CSR (PEM) to the order's finalize URL (§7.4). */
  finalize(order: AcmeOrder, csrPem: string): Promise<AcmeOrder>;
  /** Downloads the chain (§7.4.2): the leaf, then the intermediates, PEM. */
  downloadChain(order: AcmeOrder): Promise<string>;
}

/** Opens a session with the CA under the platform's account (making the account on first use). */
export type AcmeCaFactory = () => Promise<AcmeCa>;

/** An error from the CA or on the way to it, with the CA's own words when it gave any. */
export class AcmeFailure extends Error {
  /** A Retry-After the CA asked for, in ms (rate limits, RFC 8555 §6.6). */
  readonly retryAfterMs: number | null;

  constructor(message: string, retryAfterMs: number | null = null) {
    super(message);
    this.name = 'AcmeFailure';
    this.retryAfterMs = retryAfterMs;
  }
}
