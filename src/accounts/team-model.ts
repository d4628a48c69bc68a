import type { User, UserRole } from './model.ts';

/** The roles the team API hands out. Operators see every tenant and are made with the CLI only. */
export type TeamRole = Exclude<UserRole, 'operator'>;
export const TEAM_ROLES: readonly TeamRole[] = ['owner', 'member'];

/** A user as the team list shows them: never the password hash. */
export interface TeamMember {
  readonly id: string;
  readonly email: string;
  readonly role: UserRole;
  readonly createdAt: string;
  /** False until the user has chosen a password through their set-password link. */
  readonly passwordSet: boolean;
  /** When the newest unused set-password link ends, or null when there is none. */
  readonly linkExpiresAt: string | null;
}

/**
 * A one-time set-password link as stored: only the SHA-256 of its token is kept (the token has 256 random bits,
 * so a fast hash is enough, as for session ids). It ends at `expiresAt` or at its first use, whichever is first.
 */
export interface PasswordLinkRecord {
  readonly tokenHash: string;
  readonly userId: string;
  readonly tenantId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
}

/** A new link: the token is shown to the owner once and never stored. */
export interface IssuedLink {
  readonly token: string;
  readonly expiresAt: string;
}

/** What a change to the team did, as data: the caller turns it into an error where it must. */
export type TeamChange = 'done' | 'not_found' | 'last_owner';

/** What the team needs from the store. Every call that names a user also names the tenant. */
export interface TeamRepository {
  listMembers(tenantId: string, now: string): Promise<TeamMember[]>;
  findUser(tenantId: string, userId: string): Promise<User | null>;
  /** Sets the role, unless that leaves the tenant without an owner; atomic against concurrent changes. */
  changeRole(tenantId: string, userId: string, role: UserRole): Promise<TeamChange>;
  /** Removes the user and their sessions and links, unless they are the last owner; atomic likewise. */
  removeUser(tenantId: string, userId: string): Promise<TeamChange>;
  /** Stores a link; the user's earlier links stop working. */
  insertPasswordLink(link: PasswordLinkRecord): Promise<void>;
  /** Whether a link exists, is unused and is unexpired at `now` (a cheap look before any password hashing). */
  passwordLinkUsable(tokenHash: string, now: string): Promise<boolean>;
  /**
   * Uses a link once: when it is unused and unexpired at `now`, marks it used, sets the password hash and ends
   * the user's sessions, all in one transaction. Returns the user, or null for an unknown, used or expired link.
   */
  consumePasswordLink(tokenHash: string, now: string, passwordHash: string): Promise<User | null>;
  /** Sets a new password hash and ends every session of the user, in one transaction; returns how many ended. */
  setPassword(userId: string, passwordHash: string): Promise<number>;
}
