import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { OpenedSession, SessionService, SessionView } from '../../accounts/index.ts';
import { AppError } from '../../core/index.ts';
import type { ApiEnv } from '../context.ts';
import { SESSION, error, json } from '../route-parts.ts';
import {
  clearSessionCookie,
  readSessionCookie,
  setSessionCookie,
  type CookiePolicy,
} from '../session-cookie.ts';

const TenantSchema = z.object({ id: z.string(), name: z.string() });
export const SessionSchema = z
  .object({
    user: z.object({ email: z.string(), role: z.enum(['owner', 'member', 'operator']) }),
    tenant: TenantSchema.openapi({ description: 'The tenant the session acts for now.' }),
    homeTenant: TenantSchema.openapi({ description: "The user's own tenant." }),
    access: z.enum(['user', 'read-only', 'operator']).openapi({
      description: 'user: in the own tenant; read-only / operator: an operator looking into another tenant.',
    }),
    expiresAt: z.string().openapi({ description: 'The absolute end of the session.' }),
    csrfToken: z.string().openapi({
      description:
        'Send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE made with the session cookie.',
    }),
  })
  .openapi('Session');

export function sessionJson(view: SessionView, csrfToken: string): z.infer<typeof SessionSchema> {
  return {
    user: { email: view.user.email, role: view.user.role },
    tenant: { id: view.tenant.id, name: view.tenant.name },
    homeTenant: { id: view.homeTenant.id, name: view.homeTenant.name },
    access: view.access,
    expiresAt: view.expiresAt,
    csrfToken,
  };
}

/** The client's address, for the per-client sign-in limit (behind a proxy every client shares the proxy's). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Sets the new session's cookie and gives its JSON (with the CSRF token). */
export function openedSession(c: Context<ApiEnv>, cookie: CookiePolicy, s: OpenedSession) {
  setSessionCookie(c, cookie, s.secret);
  return sessionJson(s.view, s.csrfToken);
}

/** Sends Retry-After with a `limit_exceeded` error (RFC 9110 §10.2.3), then lets it go on to the error handler. */
export function withRetryAfter(c: Context<ApiEnv>, e: unknown): never {
  if (e instanceof AppError && e.code === 'limit_exceeded') {
    c.header('Retry-After', e.details.find((d) => d.reason === 'retry_after')?.message ?? '60');
  }
  throw e;
}

/** Sign-in, the current session, sign-out, and an operator's switch into another tenant. */
export function registerSessionRoutes(
  app: OpenAPIHono<ApiEnv>,
  sessions: SessionService,
  cookie: CookiePolicy,
): void {
  const opened = (c: Context<ApiEnv>, s: OpenedSession) => openedSession(c, cookie, s);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/session',
      tags: ['session'],
      summary: 'Sign in with e-mail and password',
      description:
        'Sets the session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) and returns the CSRF token. A session cookie sent along is discarded: every sign-in gets a new session.',
      request: {
        body: {
          content: json(z.strictObject({ email: z.string().max(320), password: z.string().max(1024) })),
          required: true,
        },
      },
      responses: {
        200: { description: 'Signed in.', content: json(SessionSchema) },
        401: error('The e-mail address or the password is wrong.'),
        403: error('The request came from another origin.'),
        429: error('Too many failed sign-ins; Retry-After says how long to wait.'),
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      try {
        const s = await sessions.signIn(email, password, clientAddress(c), readSessionCookie(c));
        return c.json(opened(c, s), 200);
      } catch (e) {
        withRetryAfter(c, e);
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/session',
      tags: ['session'],
      summary: 'The current session: who, which tenant, and the CSRF token',
      security: SESSION,
      responses: {
        200: { description: 'The session.', content: json(SessionSchema) },
        401: error('Not signed in, or the session has ended.'),
      },
    }),
    (c) => {
      const s = c.get('session');
      if (s === undefined) throw new AppError('bad_request', 'This request uses an API key, not a session.');
      c.header('Cache-Control', 'no-store');
      return c.json(sessionJson(s.view, s.csrfToken), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/session',
      tags: ['session'],
      summary: 'Sign out: the session ends on the server and the cookie is cleared',
      security: SESSION,
      responses: {
        204: { description: 'Signed out.' },
        401: error('Not signed in.'),
        403: error('No CSRF token.'),
      },
    }),
    async (c) => {
      const s = c.get('session');
      if (s !== undefined) await sessions.signOut(s.secret);
      clearSessionCookie(c, cookie);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/session/tenant',
      tags: ['session'],
      summary: 'Operators: act in another tenant, read-only or as operator',
      description: 'The session gets a new id (and cookie); the old one stops working.',
      security: SESSION,
      request: {
        body: {
          content: json(
            z.strictObject({
              tenant: z.string().max(100),
              access: z.enum(['read-only', 'operator']).default('read-only'),
            }),
          ),
          required: true,
        },
      },
      responses: {
        200: { description: 'Now acting in that tenant.', content: json(SessionSchema) },
        401: error('Not signed in.'),
        403: error('Not an operator, or no CSRF token.'),
        404: error('No such tenant.'),
      },
    }),
    async (c) => {
      const s = c.get('session');
      if (s === undefined) throw new AppError('forbidden', 'Only a signed-in operator can switch tenants.');
      const { tenant, access } = c.req.valid('json');
      return c.json(opened(c, await sessions.switchTenant(s.secret, tenant, access)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/session/tenant',
      tags: ['session'],
      summary: 'Operators: go back to the own tenant',
      security: SESSION,
      responses: {
        200: { description: 'Back home.', content: json(SessionSchema) },
        401: error('Not signed in.'),
        403: error('Not an operator, or no CSRF token.'),
      },
    }),
    async (c) => {
      const s = c.get('session');
      if (s === undefined) throw new AppError('forbidden', 'Only a signed-in operator can switch tenants.');
      return c.json(opened(c, await sessions.switchTenant(s.secret, null, 'operator')), 200);
    },
  );
}
