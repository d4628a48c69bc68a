import type { Context, MiddlewareHandler } from 'hono';
import { csrfTokensEqual, type AccountService, type SessionService } from '../accounts/index.ts';
import { AppError } from '../core/index.ts';
import type { ApiEnv } from './context.ts';
import { readSessionCookie, type CookiePolicy } from './session-cookie.ts';

export interface AuthDeps {
  readonly accounts: AccountService;
  readonly sessions?: SessionService;
  readonly cookie: CookiePolicy;
}

/** Methods that change nothing (RFC 9110 §9.2.1); every other one must prove it comes from the dashboard. */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The header the dashboard sends the session's CSRF token in. A cross-origin page cannot set it without CORS. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Requests a read-only session (an operator looking into a tenant) may still make: leaving, signing out, and
 * changing the operator's own password (which is about the person, not the tenant).
 */
function allowedWhileReadOnly(method: string, path: string): boolean {
  return (
    path === '/v1/session' ||
    path === '/v1/session/tenant' ||
    path === '/v1/session/password' ||
    SAFE.has(method)
  );
}

/**
 * The origin a browser request must come from: the configured public origin, or this request's own origin
 * (scheme and Host header).
 */
export function dashboardOrigin(c: Context, cookie: CookiePolicy): string {
  if (cookie.publicOrigin !== '') return cookie.publicOrigin.replace(/\/$/, '');
  const url = new URL(c.req.url);
  return `${url.protocol}//${c.req.header('host') ?? url.host}`;
}

/**
 * Refuses a cookie-authenticated request from another origin. Browsers send `Origin` with every POST, PUT,
 * PATCH and DELETE (RFC 6454 §7, Fetch "origin" header); without it the `Referer` must be ours. A request
 * with neither is refused: only a non-browser client omits both, and such a client uses an API key.
 */
export function checkOrigin(c: Context, cookie: CookiePolicy): void {
  const expected = dashboardOrigin(c, cookie);
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    if (origin !== expected) {
      throw new AppError(
        'forbidden',
        `Requests from ${origin} are not allowed: the dashboard is at ${expected}.`,
      );
    }
    return;
  }
  if (refererOriginOf(c.req.header('referer')) !== expected) {
    throw new AppError('forbidden', 'A state-changing request from a browser must carry its Origin.');
  }
}

function refererOriginOf(referer: string | undefined): string | null {
  if (referer === undefined) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/**
 * Authentication for /v1: an API key (`Authorization: Bearer sdk_...`) or a session cookie. A session acts for its
 * tenant exactly as a key does. With a cookie, a state-changing request must also come from our origin and carry
 * the session's CSRF token in `X-CSRF-Token`; a read-only session may change nothing.
 */
export function authenticate(deps: AuthDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const method = c.req.method.toUpperCase();
    // Signing in needs no session, but a sign-in form posted from another site is refused (login CSRF).
    // Setting a password through a one-time link likewise: the link's token is the proof.
    if (method === 'POST' && (c.req.path === '/v1/session' || c.req.path === '/v1/set-password')) {
      checkOrigin(c, deps.cookie);
      return next();
    }
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = m ? await deps.accounts.authenticateApiKey(m[1]!) : null;
      if (principal === null) {
        c.header('WWW-Authenticate', 'Bearer realm="senderd"');
        throw new AppError(
          'unauthorized',
          m ? 'The API key is not valid.' : 'Send an API key: Authorization: Bearer sdk_...',
        );
      }
      c.set('principal', principal);
      return next();
    }
    const secret = readSessionCookie(c);
    const session = secret !== undefined && deps.sessions ? await deps.sessions.authenticate(secret) : null;
    if (session === null) {
      c.header('WWW-Authenticate', 'Bearer realm="senderd"');
      throw new AppError(
        'unauthorized',
        secret !== undefined
          ? 'Your session has ended: sign in again.'
          : 'Sign in, or send an API key: Authorization: Bearer sdk_...',
      );
    }
    if (!SAFE.has(method)) {
      checkOrigin(c, deps.cookie);
      const token = c.req.header(CSRF_HEADER);
      if (token === undefined || !csrfTokensEqual(token, session.csrfToken)) {
        throw new AppError(
          'forbidden',
          'The CSRF token is missing or wrong: reload the dashboard and try again.',
        );
      }
      if (session.principal.readOnly === true && !allowedWhileReadOnly(method, c.req.path)) {
        throw new AppError(
          'forbidden',
          'This is a read-only view of the tenant: nothing can be changed here.',
        );
      }
    }
    c.set('principal', session.principal);
    c.set('session', { secret: secret!, csrfToken: session.csrfToken, view: session.view });
    return next();
  };
}
