import type { Clock } from '../core/index.ts';

export interface SignInLimits {
  /** Failed attempts allowed per e-mail address within the window. */
  readonly perAccount: number;
  /** Failed attempts allowed per client address within the window (many accounts guessed from one place). */
  readonly perClient: number;
  readonly windowMs: number;
}

interface Failures {
  count: number;
  firstAt: number;
}

/** Bounds the memory one node spends on remembering failures; the oldest entries go first. */
const MAX_TRACKED = 10_000;

/**
 * Counts failed sign-ins per account and per client address in a fixed window, and refuses further attempts
 * once either reaches its limit until the window has passed. Kept in memory: each node limits on its own, so a
 * cluster of N nodes allows at most N times the limit, which is still far below what guessing needs.
 */
export class SignInLimiter {
  readonly #limits: SignInLimits;
  readonly #clock: Clock;
  readonly #failures = new Map<string, Failures>();

  constructor(limits: SignInLimits, clock: Clock) {
    this.#limits = limits;
    this.#clock = clock;
  }

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  retryAfter(account: string, client: string): number {
    const now = this.#clock.now().getTime();
    const waits = [
      this.#wait(`a:${account}`, this.#limits.perAccount, now),
      this.#wait(`c:${client}`, this.#limits.perClient, now),
    ];
    return Math.max(...waits);
  }

  recordFailure(account: string, client: string): void {
    const now = this.#clock.now().getTime();
    for (const key of [`a:${account}`, `c:${client}`]) {
      const seen = this.#current(key, now);
      if (seen === undefined) {
        if (this.#failures.size >= MAX_TRACKED) {
          const oldest = this.#failures.keys().next().value;
          if (oldest !== undefined) this.#failures.delete(oldest);
        }
        this.#failures.set(key, { count: 1, firstAt: now });
      } else seen.count += 1;
    }
  }

  /** A successful sign-in clears the account's failures (not the client's: one right password among many guesses). */
  recordSuccess(account: string): void {
    this.#failures.delete(`a:${account}`);
  }

  #current(key: string, now: number): Failures | undefined {
    const seen = this.#failures.get(key);
    if (seen !== undefined && now - seen.firstAt >= this.#limits.windowMs) {
      this.#failures.delete(key);
      return undefined;
    }
    return seen;
  }

  #wait(key: string, limit: number, now: number): number {
    const seen = this.#current(key, now);
    if (seen === undefined || seen.count < limit) return 0;
    return Math.max(1, Math.ceil((seen.firstAt + this.#limits.windowMs - now) / 1000));
  }
}
