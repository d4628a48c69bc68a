import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { MAX_PASSWORD_LENGTH, type PasswordService } from '../../accounts/index.ts';
import { AppError } from '../../core/index.ts';
import type { ApiEnv } from '../context.ts';
import { SESSION, error, json } from '../route-parts.ts';
import type { CookiePolicy } from '../session-cookie.ts';
import { clientAddress, openedSession, SessionSchema, withRetryAfter } from './session.ts';

const Password = z.string().max(MAX_PASSWORD_LENGTH);

/** A signed-in user changes their password; a new user sets theirs through a one-time link. */
export function registerPasswordRoutes(
  app: OpenAPIHono<ApiEnv>,
  passwords: PasswordService,
  cookie: CookiePolicy,
): void {
  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/session/password',
      tags: ['session'],
      summary: 'Change your own password',
      description:
        'Needs the current password; wrong ones count against the sign-in limit (429 with Retry-After). Every session of the user ends, this one included, and a new one is opened: the answer sets a new cookie and carries a new CSRF token.',
      security: SESSION,
      request: {
        body: {
          content: json(z.strictObject({ currentPassword: Password, newPassword: Password })),
          required: true,
        },
      },
      responses: {
        200: { description: 'Changed; here is the new session.', content: json(SessionSchema) },
        400: error('The request used an API key: a password belongs to a person signed in.'),
        401: error('Not signed in.'),
        403: error('No CSRF token, or another origin.'),
        422: error('The current password is wrong, or the new one is too short.'),
        429: error('Too many wrong passwords; Retry-After says how long to wait.'),
      },
    }),
    async (c) => {
      const s = c.get('session');
      if (s === undefined) {
        throw new AppError('bad_request', 'This request uses an API key: sign in to change your password.');
      }
      const { currentPassword, newPassword } = c.req.valid('json');
      try {
        const opened = await passwords.change(s.secret, currentPassword, newPassword, clientAddress(c));
        return c.json(openedSession(c, cookie, opened), 200);
      } catch (e) {
        return withRetryAfter(c, e);
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/set-password',
      tags: ['session'],
      summary: 'Choose a password with a one-time set-password link, and be signed in',
      description:
        'The token is the part of the link after `#`. It works once and until it expires. The user’s other sessions end. Like sign-in, it needs no session but must come from the dashboard’s origin.',
      request: {
        body: {
          content: json(z.strictObject({ token: z.string().max(100), password: Password })),
          required: true,
        },
      },
      responses: {
        200: { description: 'Password set and signed in.', content: json(SessionSchema) },
        403: error('The request came from another origin.'),
        404: error('The link was used already, has expired, or was replaced by a newer one.'),
        422: error('The password is too short.'),
      },
    }),
    async (c) => {
      const { token, password } = c.req.valid('json');
      return c.json(openedSession(c, cookie, await passwords.setWithLink(token, password)), 200);
    },
  );
}
