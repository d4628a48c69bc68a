import { clientOf } from '../connections/index.ts';
import type { Clock } from '../core/index.ts';

export interface SignInLimits {
  /** Failed attempts allowed per account from one client address within the window. */
  readonly perAccount: number;
  /** Failed attempts allowed per client address within the window (many accounts guessed from one place). */
  readonly perClient: number;
  readonly windowMs: number;
}

/** Failed sign-ins by key, kept in the store so that every node counts the same failures. */
export interface SignInFailureLog {
  /** The failures of each key after `since` (ISO time): how many, and the latest. */
  count(
    keys: readonly string[],
    since: string,
  ): Promise<
    ReadonlyMap<string, { readonly count: number; readonly firstAt: string; readonly lastAt: string }>
  >;
  record(keys: readonly string[], at: string): Promise<void>;
  clear(key: string): Promise<void>;
  /** Removes failures at or before `before`. */
  purge(before: string): Promise<void>;
}

/** The longest wait an account's failures from everywhere can impose on its next attempt. */
export const MAX_ACCOUNT_DELAY_S = 30;

/**
 * Limits failed sign-ins so that guessing is slow and nobody can lock the owner out (issue 14):
 * - a client address (an IPv4 address or an IPv6 /64) that fails `perClient` times in the window is refused for
 *   the rest of the window, whatever account it names;
 * - an account that fails `perAccount` times from one client is refused from that client only, so an attacker
 *   elsewhere cannot shut the owner out;
 * - failures of an account from many clients together make each next attempt wait, doubling from 1 s per failure
 *   past `perAccount` up to MAX_ACCOUNT_DELAY_S after the latest one: distributed guessing stays slow, and the
 *   owner waits seconds, never the whole window.
 * The counts live in the store (SignInFailureLog), so they hold across the nodes of a cluster.
 */
export class SignInLimiter {
  readonly #limits: SignInLimits;
  readonly #clock: Clock;
  readonly #log: SignInFailureLog;

  constructor(limits: SignInLimits, clock: Clock, log: SignInFailureLog) {
    this.#limits = limits;
    this.#clock = clock;
    this.#log = log;
  }

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  async retryAfter(account: string, client: string): Promise<number> {
    const now = this.#clock.now().getTime();
    const keys = keysOf(account, client);
    const seen = await this.#log.count(
      [keys.client, keys.pair, keys.account],
      new Date(now - this.#limits.windowMs).toISOString(),
    );
    // Until the oldest failure in the window leaves it (exact when the count is at the limit, early otherwise:
    // then the next failure refuses again).
    const windowEnd = (key: string, limit: number) => {
      const s = seen.get(key);
      return s === undefined || s.count < limit
        ? 0
        : Math.ceil((Date.parse(s.firstAt) + this.#limits.windowMs - now) / 1000);
    };
    const all = seen.get(keys.account);
    const spread =
      all === undefined || all.count < this.#limits.perAccount
        ? 0
        : Math.ceil(
            (Date.parse(all.lastAt) +
              Math.min(MAX_ACCOUNT_DELAY_S, 2 ** (all.count - this.#limits.perAccount)) * 1000 -
              now) /
              1000,
          );
    return Math.max(
      0,
      windowEnd(keys.client, this.#limits.perClient),
      windowEnd(keys.pair, this.#limits.perAccount),
      spread,
    );
  }

  async recordFailure(account: string, client: string): Promise<void> {
    const now = this.#clock.now();
    const keys = keysOf(account, client);
    await this.#log.record([keys.client, keys.pair, keys.account], now.toISOString());
    await this.#log.purge(new Date(now.getTime() - this.#limits.windowMs).toISOString());
  }

  /**
   * A success clears the account's failures (not the client's: one right password among many guesses); without a
   * client (a set-password link) only the account-wide count.
   */
  async recordSuccess(account: string, client?: string): Promise<void> {
    const keys = keysOf(account, client ?? '');
    if (client !== undefined) await this.#log.clear(keys.pair);
    await this.#log.clear(keys.account);
  }
}

function keysOf(account: string, client: string) {
  const from = clientOf(client);
  return { client: `c:${from}`, pair: `ac:${account} ${from}`, account: `a:${account}` };
}
