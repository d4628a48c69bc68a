import type { Tenant, User } from './model.ts';

/**
 * How a session acts in its tenant. `user`: as the signed-in user in their own tenant. An operator who switched
 * into another tenant acts there either `read-only` (nothing can change) or as `operator` (full access).
 */
export type SessionAccess = 'user' | 'read-only' | 'operator';

/** A session as stored: only the SHA-256 of its secret is kept, so a stolen database opens no session. */
export interface SessionRecord {
  /** SHA-256 of the session secret (the cookie value), hex. */
  readonly idHash: string;
  readonly userId: string;
  /** The tenant the session acts for: the user's own, or the one an operator switched into. */
  readonly tenantId: string;
  readonly access: SessionAccess;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  /** Absolute expiry: the session ends then however active it is. */
  readonly expiresAt: string;
}

/** What the store must do for sessions. */
export interface SessionRepository {
  insertSession(session: SessionRecord): Promise<void>;
  findSession(idHash: string): Promise<SessionRecord | null>;
  touchSession(idHash: string, at: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Removes sessions past their absolute expiry or idle since before `idleBefore`; returns how many. */
  deleteExpiredSessions(now: string, idleBefore: string): Promise<number>;
  findUserById(id: string): Promise<User | null>;
  listUsers(tenantId: string): Promise<User[]>;
}

/** A signed-in session as the API and dashboard see it (never the secret's hash). */
export interface SessionView {
  readonly user: { readonly id: string; readonly email: string; readonly role: User['role'] };
  readonly homeTenant: Tenant;
  readonly tenant: Tenant;
  readonly access: SessionAccess;
  readonly expiresAt: string;
}
