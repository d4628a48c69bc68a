import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

/**
 * The session cookie. Over HTTPS it is `__Host-senderd_session` with Secure: the `__Host-` prefix makes the
 * browser refuse it unless it is Secure, host-only and for path / (RFC 6265bis §4.1.3.2), so a sibling domain
 * cannot plant or shadow it. Over plain HTTP (development, tests on 127.0.0.1) it is `senderd_session`.
 * Always HttpOnly (scripts cannot read it) and SameSite=Lax (other sites' POSTs do not carry it).
 */
export const SECURE_COOKIE = '__Host-senderd_session';
export const PLAIN_COOKIE = 'senderd_session';

export interface CookiePolicy {
  /** The configured public origin (dashboard.publicOrigin), or '' for the origin of each request. */
  readonly publicOrigin: string;
  /** Lifetime of the cookie in seconds: the session's absolute maximum. */
  readonly maxAgeSeconds: number;
}

export function isHttps(c: Context, policy: CookiePolicy): boolean {
  if (policy.publicOrigin !== '') return policy.publicOrigin.startsWith('https:');
  return new URL(c.req.url).protocol === 'https:';
}

/** The session secret the request carries, if any (the Secure name wins when both are present). */
export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SECURE_COOKIE) ?? getCookie(c, PLAIN_COOKIE);
}

function serialise(name: string, value: string, maxAge: number, secure: boolean): string {
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function setSessionCookie(c: Context, policy: CookiePolicy, secret: string): void {
  const secure = isHttps(c, policy);
  c.header(
    'Set-Cookie',
    serialise(secure ? SECURE_COOKIE : PLAIN_COOKIE, secret, policy.maxAgeSeconds, secure),
    {
      append: true,
    },
  );
  // Never let a session be cached by a shared cache.
  c.header('Cache-Control', 'no-store');
}

export function clearSessionCookie(c: Context, policy: CookiePolicy): void {
  const secure = isHttps(c, policy);
  c.header('Set-Cookie', serialise(secure ? SECURE_COOKIE : PLAIN_COOKIE, '', 0, secure), { append: true });
  c.header('Cache-Control', 'no-store');
}
