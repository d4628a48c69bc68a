/** A customer account. Every other object belongs to exactly one tenant. */
export interface Tenant {
  readonly id: string;
  /** A short handle (`acme`), unique, used by the CLI. */
  readonly name: string;
  readonly createdAt: string;
}

/** An API key as stored: only a hash of its secret is kept. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  /** SHA-256 of the secret part, hex. The secret has 160 random bits, so a fast hash is enough. */
  readonly secretHash: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export type UserRole = 'owner' | 'member' | 'operator';

/** A person who signs in to the dashboard. Operators see every tenant. */
export interface User {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  /** scrypt, in the form `scrypt$N$r$p$salt$hash` (base64). */
  readonly passwordHash: string;
  readonly role: UserRole;
  readonly createdAt: string;
}

/** Who is calling: the result of authenticating an API key or a session. */
export interface Principal {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly via: 'api-key' | 'session' | 'cli';
  readonly keyId?: string;
  /** For a session: the signed-in user, their role, and whether the session may change nothing. */
  readonly userId?: string;
  readonly role?: UserRole;
  readonly readOnly?: boolean;
}
