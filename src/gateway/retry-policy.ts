/**
 * When to try a deferred delivery again (pure). Exponential backoff from the first delay, capped, until the
 * message has been queued for the configured number of days (RFC 5321 §4.5.4.1: retry for at least 4–5 days,
 * at least 30 minutes apart once it has failed for a while; the defaults follow that).
 */
export interface RetryPolicy {
  readonly firstDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  readonly expireAfterMs: number;
}

export type RetryDecision = { readonly kind: 'retry'; readonly at: number } | { readonly kind: 'expire' };

/**
 * After the `attempts`-th failed attempt (1 for the first), at `now`, of a message accepted at `acceptedAt`:
 * the next attempt's time, or expiry when that time would pass the deadline.
 */
export function nextRetry(
  policy: RetryPolicy,
  attempts: number,
  now: number,
  acceptedAt: number,
): RetryDecision {
  const deadline = acceptedAt + policy.expireAfterMs;
  if (now >= deadline) return { kind: 'expire' };
  const delay = Math.min(policy.maxDelayMs, policy.firstDelayMs * policy.factor ** Math.max(0, attempts - 1));
  // One last attempt at the deadline rather than giving up early.
  return { kind: 'retry', at: Math.min(now + delay, deadline) };
}
