import type { CertificateSummary, EdgeHost } from './model.ts';

/**
 * When the scheduler acts on a host (pure). A certificate is renewed once two thirds of its lifetime have passed
 * (Let's Encrypt's advice: a 90-day certificate at 60 days, leaving 30 days to get past failures); a failed order
 * is retried after an exponential back-off, capped, so that a broken host costs the CA a few orders a day at most.
 */

export interface RetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * Two thirds of the lifetime (notBefore to notAfter) after the certificate was stored. Counted from senderd's own
 * clock rather than the CA's notBefore, so a node whose clock is off from the CA's renews early or late, but never
 * over and over.
 */
export function renewalDue(
  certificate: Pick<CertificateSummary, 'notBefore' | 'notAfter' | 'issuedAt'>,
): Date {
  const lifetime = Date.parse(certificate.notAfter) - Date.parse(certificate.notBefore);
  return new Date(Date.parse(certificate.issuedAt) + Math.floor((lifetime * 2) / 3));
}

/** The wait after the n-th failure in a row (n ≥ 1): base, 2×base, 4×base, ... never more than max. */
export function backoffMs(failures: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  return Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
}

export type Action = 'order' | 'resume' | 'wait';

/**
 * What to do with a host now: resume an order that is under way, place a new one (no certificate yet, or the
 * certificate is due for renewal, once any back-off has passed), or wait.
 */
export function nextAction(host: EdgeHost, now: Date): Action {
  if (host.order !== null) return 'resume';
  if (host.nextAttemptAt !== null && Date.parse(host.nextAttemptAt) > now.getTime()) return 'wait';
  if (host.certificate === null || isExpired(host.certificate, now)) return 'order';
  return renewalDue(host.certificate).getTime() <= now.getTime() ? 'order' : 'wait';
}

/** Whether the certificate no longer covers `now`. */
export function isExpired(certificate: Pick<CertificateSummary, 'notAfter'>, now: Date): boolean {
  return Date.parse(certificate.notAfter) <= now.getTime();
}
