import type { Readiness } from './host-plan.ts';
import type { EdgeHost, HostRole } from './model.ts';
import { isExpired, renewalDue } from './renewal-policy.ts';

/**
 * The status of a customer host and its certificate as the API, the CLI and the dashboard show it (pure):
 * - waiting: no order yet, and why (the domain is not verified, the CNAME is not there yet);
 * - pending: an order is under way or about to be placed;
 * - issued: a valid certificate, with its expiry and when it renews;
 * - renewing: a valid certificate past two thirds of its lifetime, with a renewal under way or due;
 * - failed: the last order failed, with the CA's error and the time of the next attempt;
 * - expired: the certificate it had is past its notAfter and no new one came.
 */
export type HostStatus = 'waiting' | 'pending' | 'issued' | 'renewing' | 'failed' | 'expired';

export interface HostStatusView {
  readonly hostname: string;
  readonly role: HostRole;
  readonly status: HostStatus;
  /** A sentence for a person. */
  readonly reason: string;
  readonly certificate: {
    readonly serial: string;
    readonly issuer: string;
    readonly notBefore: string;
    readonly notAfter: string;
    readonly renewAt: string;
    readonly fingerprint: string;
  } | null;
  readonly orderStartedAt: string | null;
  readonly lastError: { readonly message: string; readonly at: string } | null;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
}

/** A host the store does not hold yet: waiting for its prerequisites, or about to be ordered. */
export function unstoredHostStatus(hostname: string, role: HostRole, readiness: Readiness): HostStatusView {
  return {
    hostname,
    role,
    status: readiness.ready ? 'pending' : 'waiting',
    reason: readiness.ready
      ? `${hostname} points at the edge; the certificate is ordered on the next ACME pass.`
      : readiness.reason,
    certificate: null,
    orderStartedAt: null,
    lastError: null,
    attempts: 0,
    nextAttemptAt: null,
  };
}

export function storedHostStatus(host: EdgeHost, readiness: Readiness, now: Date): HostStatusView {
  const cert = host.certificate;
  const renewAt = cert === null ? null : renewalDue(cert);
  const expired = cert !== null && isExpired(cert, now);
  let status: HostStatus = host.status;
  if (expired && host.order === null) status = 'expired';
  else if (status === 'issued' && renewAt !== null && renewAt.getTime() <= now.getTime()) status = 'renewing';
  const sentences: string[] = [];
  if (status === 'failed' || (status === 'expired' && host.lastError !== null))
    sentences.push(
      `The last order failed at ${host.lastError?.at ?? '?'}: ${(host.lastError?.message ?? 'unknown error').replace(/\.?$/, '.')}`,
      host.nextAttemptAt === null ? '' : `The next attempt is at ${host.nextAttemptAt}.`,
    );
  if (cert !== null)
    sentences.push(
      expired
        ? `The certificate expired at ${cert.notAfter}.`
        : `The certificate is valid until ${cert.notAfter} and renews from ${renewAt!.toISOString()}.`,
    );
  if (host.order !== null) sentences.push(`An order placed at ${host.order.startedAt} is under way.`);
  else if (status === 'pending') sentences.push('An order is due.');
  if (!readiness.ready) sentences.push(`No new order is placed while this lasts: ${readiness.reason}`);
  return {
    hostname: host.hostname,
    role: host.role,
    status,
    reason: sentences.filter((s) => s !== '').join(' '),
    certificate:
      cert === null
        ? null
        : {
            serial: cert.serial,
            issuer: cert.issuer,
            notBefore: cert.notBefore,
            notAfter: cert.notAfter,
            renewAt: renewAt!.toISOString(),
            fingerprint: cert.fingerprint,
          },
    orderStartedAt: host.order?.startedAt ?? null,
    lastError: host.lastError,
    attempts: host.attempts,
    nextAttemptAt: host.nextAttemptAt,
  };
}
