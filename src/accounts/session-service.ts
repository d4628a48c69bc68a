import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AppError, type Clock, type RandomSource } from '../core/index.ts';
import type { Principal, Tenant, User } from './model.ts';
import type { AccountRepository } from './ports.ts';
import type { SessionAccess, SessionRecord, SessionRepository, SessionView } from './session-model.ts';
import type { SignInLimiter } from './sign-in-limiter.ts';

export interface SessionDeps {
  readonly sessions: SessionRepository;
  readonly accounts: AccountRepository;
  /** The user for an e-mail and password, or null (AccountService.authenticatePassword). */
  readonly checkPassword: (email: string, password: string) => Promise<User | null>;
  readonly limiter: SignInLimiter;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** A session unused for this long ends. */
  readonly idleMs: number;
  /** A session ends this long after sign-in, however active. */
  readonly absoluteMs: number;
}

/** A new session: its secret goes into the cookie once and is never stored. */
export interface OpenedSession {
  readonly secret: string;
  readonly csrfToken: string;
  readonly view: SessionView;
}

/** A session behind a request: who acts, for which tenant, and its CSRF token. */
export interface SessionPrincipal {
  readonly principal: Principal;
  readonly csrfToken: string;
  readonly view: SessionView;
}

/** 256 random bits, base64url: the cookie value. */
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** lastSeenAt is written at most this often, so that reads do not turn into writes. */
const TOUCH_EVERY_MS = 60_000;

export function sessionIdHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * The CSRF token of a session: an HMAC of a fixed label under the session secret. Only a holder of the cookie
 * value can compute it, so a page on another origin (which can make the browser send the cookie, but cannot read
 * it) cannot produce it. Nothing extra is stored.
 */
export function csrfTokenFor(secret: string): string {
  return createHmac('sha256', secret).update('senderd csrf v1').digest('base64url');
}

export function csrfTokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Sign-in with a password, server-side sessions with idle and absolute expiry, sign-out, and an operator's switch
 * into another tenant. A new secret is drawn at every sign-in and every switch, and a secret presented at sign-in
 * is discarded, so a session id planted before sign-in (session fixation) never becomes a signed-in session.
 */
export class SessionService {
  readonly #deps: SessionDeps;

  constructor(deps: SessionDeps) {
    this.#deps = deps;
  }

  /**
   * Checks the password and opens a session. Unknown e-mail and wrong password give the same error; too many
   * failures give `limit_exceeded` with the wait in seconds in `details`.
   */
  async signIn(email: string, password: string, client: string, previous?: string): Promise<OpenedSession> {
    const account = email.trim().toLowerCase();
    const wait = await this.#deps.limiter.retryAfter(account, client);
    if (wait > 0) {
      throw new AppError('limit_exceeded', `Too many failed sign-ins. Try again in ${wait} s.`, [
        { message: String(wait), reason: 'retry_after' },
      ]);
    }
    const user = await this.#deps.checkPassword(account, password);
    if (user === null) {
      await this.#deps.limiter.recordFailure(account, client);
      throw new AppError('unauthorized', 'The e-mail address or the password is wrong.');
    }
    await this.#deps.limiter.recordSuccess(account, client);
    if (previous !== undefined) await this.signOut(previous);
    return this.openFor(user);
  }

  /**
   * Opens a session for a user who proved who they are another way (a set-password link, a password change):
   * fresh in their own tenant, or continuing `like` (its tenant, access and absolute expiry) under a new id.
   */
  openFor(user: User, like?: SessionView): Promise<OpenedSession> {
    if (like !== undefined) return this.#open(user, like.tenant.id, like.access, new Date(like.expiresAt));
    const now = this.#deps.clock.now();
    return this.#open(user, user.tenantId, 'user', new Date(now.getTime() + this.#deps.absoluteMs));
  }

  /** The session behind a cookie value, or null when it is unknown, expired or its user is gone. */
  async authenticate(secret: string): Promise<SessionPrincipal | null> {
    if (!SECRET_PATTERN.test(secret)) return null;
    const idHash = sessionIdHash(secret);
    const session = await this.#deps.sessions.findSession(idHash);
    if (session === null) return null;
    const now = this.#deps.clock.now().getTime();
    const idleSince = now - Date.parse(session.lastSeenAt);
    if (now >= Date.parse(session.expiresAt) || idleSince >= this.#deps.idleMs) {
      await this.#deps.sessions.deleteSession(idHash);
      return null;
    }
    const view = await this.#view(session);
    if (view === null) {
      await this.#deps.sessions.deleteSession(idHash);
      return null;
    }
    if (idleSince >= TOUCH_EVERY_MS) {
      await this.#deps.sessions.touchSession(idHash, new Date(now).toISOString());
    }
    return {
      principal: {
        tenantId: view.tenant.id,
        tenantName: view.tenant.name,
        via: 'session',
        userId: view.user.id,
        role: view.user.role,
        readOnly: view.access === 'read-only',
      },
      csrfToken: csrfTokenFor(secret),
      view,
    };
  }

  async signOut(secret: string): Promise<void> {
    if (SECRET_PATTERN.test(secret)) await this.#deps.sessions.deleteSession(sessionIdHash(secret));
  }

  /**
   * An operator enters another tenant (`read-only` or as `operator`), or goes home with `tenantName` null. The old
   * secret stops working and a new one is returned; the absolute expiry stays that of the sign-in.
   */
  async switchTenant(
    secret: string,
    tenantName: string | null,
    access: Exclude<SessionAccess, 'user'>,
  ): Promise<OpenedSession> {
    const current = await this.authenticate(secret);
    if (current === null) throw new AppError('unauthorized', 'Sign in first.');
    if (current.view.user.role !== 'operator') {
      throw new AppError('forbidden', 'Only operators can switch into another tenant.');
    }
    const user = await this.#deps.sessions.findUserById(current.view.user.id);
    if (user === null) throw new AppError('unauthorized', 'Sign in first.');
    let tenant: Tenant | null = current.view.homeTenant;
    if (tenantName !== null) tenant = await this.#deps.accounts.findTenantByName(tenantName);
    if (tenant === null) throw new AppError('not_found', `No tenant named "${tenantName}".`);
    await this.#deps.sessions.deleteSession(sessionIdHash(secret));
    const home = tenant.id === user.tenantId;
    return this.#open(user, tenant.id, home ? 'user' : access, new Date(current.view.expiresAt));
  }

  /** Deletes expired sessions; the scheduler or a start-up calls it. */
  purgeExpired(): Promise<number> {
    const now = this.#deps.clock.now().getTime();
    return this.#deps.sessions.deleteExpiredSessions(
      new Date(now).toISOString(),
      new Date(now - this.#deps.idleMs).toISOString(),
    );
  }

  async #open(user: User, tenantId: string, access: SessionAccess, expiresAt: Date): Promise<OpenedSession> {
    const secret = this.#deps.random.bytes(SECRET_BYTES).toString('base64url');
    const now = this.#deps.clock.now().toISOString();
    const record: SessionRecord = {
      idHash: sessionIdHash(secret),
      userId: user.id,
      tenantId,
      access,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: expiresAt.toISOString(),
    };
    await this.#deps.sessions.insertSession(record);
    const view = await this.#view(record);
    if (view === null) throw new AppError('not_found', 'The tenant is gone.');
    return { secret, csrfToken: csrfTokenFor(secret), view };
  }

  async #view(session: SessionRecord): Promise<SessionView | null> {
    const user = await this.#deps.sessions.findUserById(session.userId);
    if (user === null) return null;
    const home = await this.#deps.accounts.findTenantById(user.tenantId);
    const tenant =
      session.tenantId === user.tenantId ? home : await this.#deps.accounts.findTenantById(session.tenantId);
    if (home === null || tenant === null) return null;
    // A user whose role was taken away loses an operator's view of other tenants at once.
    if (tenant.id !== home.id && user.role !== 'operator') return null;
    return {
      user: { id: user.id, email: user.email, role: user.role },
      homeTenant: home,
      tenant,
      access: session.access,
      expiresAt: session.expiresAt,
    };
  }
}
