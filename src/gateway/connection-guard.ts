import type { SmtpReply } from './smtp-reply.ts';

/**
 * Per-address limits shared by every listener of a node (pure, clock injected): how many connections one client
 * address may hold open, and how many failed AUTH attempts it may make in a window before it is shut out until
 * the window has passed.
 */
export interface GuardLimits {
  readonly maxConnectionsPerIp: number;
  readonly maxAuthFailures: number;
  readonly authFailureWindowMs: number;
}

export class ConnectionGuard {
  readonly #limits: GuardLimits;
  readonly #now: () => number;
  readonly #open = new Map<string, number>();
  readonly #sessions = new Map<string, string>();
  readonly #failures = new Map<string, number[]>();

  constructor(limits: GuardLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  /** A new connection: null to let it in, or the reply to close it with. */
  admit(sessionId: string, ip: string): SmtpReply | null {
    if (this.blocked(ip)) {
      return {
        code: 421,
        enhanced: '4.7.0',
        text: 'Too many failed logins from your address; try again later.',
      };
    }
    const open = this.#open.get(ip) ?? 0;
    if (open >= this.#limits.maxConnectionsPerIp) {
      return {
        code: 421,
        enhanced: '4.7.0',
        text: `Too many connections from your address (limit ${this.#limits.maxConnectionsPerIp}); try again later.`,
      };
    }
    this.#open.set(ip, open + 1);
    this.#sessions.set(sessionId, ip);
    return null;
  }

  /** The connection closed; safe to call for a connection that was never admitted. */
  release(sessionId: string): void {
    const ip = this.#sessions.get(sessionId);
    if (ip === undefined) return;
    this.#sessions.delete(sessionId);
    const left = (this.#open.get(ip) ?? 1) - 1;
    if (left <= 0) this.#open.delete(ip);
    else this.#open.set(ip, left);
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

  openConnections(ip: string): number {
    return this.#open.get(ip) ?? 0;
  }

  #recent(ip: string, now: number): number[] {
    return (this.#failures.get(ip) ?? []).filter((t) => now - t < this.#limits.authFailureWindowMs);
  }
}
