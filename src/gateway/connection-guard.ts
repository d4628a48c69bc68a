/**
 * Failed AUTH attempts per client address, shared by every listener of the gateway (pure, clock injected): after
 * `maxAuthFailures` in the window the address is shut out until the window has passed. Connection counts are
 * not kept here: every listener counts them through src/connections.
 */
export interface GuardLimits {
  readonly maxAuthFailures: number;
  readonly authFailureWindowMs: number;
}

export class ConnectionGuard {
  readonly #limits: GuardLimits;
  readonly #now: () => number;
  readonly #failures = new Map<string, number[]>();

  constructor(limits: GuardLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Counts a failed AUTH; true when the address is now shut out. */
  authFailed(ip: string): boolean {
    const now = this.#now();
    const recent = this.#recent(ip, now);
    recent.push(now);
    this.#failures.set(ip, recent);
    return recent.length >= this.#limits.maxAuthFailures;
  }

  blocked(ip: string): boolean {
    const recent = this.#recent(ip, this.#now());
    if (recent.length === 0) this.#failures.delete(ip);
    return recent.length >= this.#limits.maxAuthFailures;
  }

  #recent(ip: string, now: number): number[] {
    return (this.#failures.get(ip) ?? []).filter((t) => now - t < this.#limits.authFailureWindowMs);
  }
}
