import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  TEAM_ROLES,
  type IssuedLink,
  type TeamMember,
  type TeamService,
} from '../../accounts/index.ts';
import { dashboardOrigin } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';
import type { CookiePolicy } from '../session-cookie.ts';

const OWNERS_ONLY = 'With a dashboard session, owners only (members get 403); an API key may.';

const MemberSchema = z
  .object({
    id: z.string().openapi({ example: 'usr_abcdefghijklmnop' }),
    email: z.string(),
    role: z.enum(['owner', 'member', 'operator']),
    createdAt: z.string(),
    passwordSet: z
      .boolean()
      .openapi({ description: 'False until the user has used their set-password link.' }),
    linkExpiresAt: z
      .string()
      .nullable()
      .openapi({ description: 'When the unused set-password link ends; null when there is none.' }),
  })
  .openapi('TeamMember');

const LinkSchema = z
  .object({
    url: z.string().openapi({
      description:
        'Pass it on to the user. The token is in the fragment (#), so browsers send it neither to the server in the request line nor in a Referer.',
      example: 'https://senderd.example.com/set-password#Qm9...',
    }),
    token: z.string(),
    expiresAt: z.string(),
  })
  .openapi('SetPasswordLink');

const IdParams = z.object({
  id: z
    .string()
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'usr_abcdefghijklmnop' }),
});
const Role = z.enum(TEAM_ROLES as ['owner', 'member']);

const memberJson = (m: TeamMember): z.infer<typeof MemberSchema> => ({ ...m });

/** The link to pass on: the dashboard's page on this origin, with the token after `#`. */
function linkJson(c: Context, cookie: CookiePolicy, link: IssuedLink): z.infer<typeof LinkSchema> {
  return {
    url: `${dashboardOrigin(c, cookie)}/set-password#${link.token}`,
    token: link.token,
    expiresAt: link.expiresAt,
  };
}

/** The tenant's team: list, add (with a password or a one-time link), change a role, remove, issue a new link. */
export function registerTeamRoutes(app: OpenAPIHono<ApiEnv>, team: TeamService, cookie: CookiePolicy): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/team/users',
      tags: ['team'],
      summary: "The tenant's users and their roles (never a password or its hash)",
      security: API_KEY,
      responses: {
        200: {
          description: 'The users, by e-mail.',
          content: json(z.object({ users: z.array(MemberSchema) })),
        },
        401: error('Not signed in.'),
      },
    }),
    async (c) => c.json({ users: (await team.list(c.get('principal').tenantId)).map(memberJson) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/team/users',
      tags: ['team'],
      summary: 'Add a user, with an initial password or (without one) a one-time set-password link',
      description: `${OWNERS_ONLY} Without \`password\`, the answer carries a link that works once, until \`expiresAt\` (dashboard.setPasswordLinkTtl); only its hash is stored.`,
      security: API_KEY,
      request: {
        body: {
          content: json(
            z.strictObject({
              email: z.string().max(320),
              role: Role.default('member'),
              password: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH).optional(),
            }),
          ),
          required: true,
        },
      },
      responses: {
        201: {
          description: 'Added.',
          content: json(z.object({ user: MemberSchema, setPasswordLink: LinkSchema.nullable() })),
        },
        401: error('Not signed in.'),
        403: error('Not an owner, or no CSRF token.'),
        409: error('A user with this e-mail address exists already.'),
        422: error('Not an e-mail address, an unknown role, or a password that is too short.'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { member, link } = await team.add(c.get('principal').tenantId, body);
      return c.json(
        { user: memberJson(member), setPasswordLink: link === null ? null : linkJson(c, cookie, link) },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/team/users/{id}',
      tags: ['team'],
      summary: "Change a user's role",
      description: `${OWNERS_ONLY} The change holds from the user's next request. The last owner cannot be demoted (409).`,
      security: API_KEY,
      request: { params: IdParams, body: { content: json(z.strictObject({ role: Role })), required: true } },
      responses: {
        200: { description: 'Changed.', content: json(z.object({ user: MemberSchema })) },
        401: error('Not signed in.'),
        403: error('Not an owner, no CSRF token, or the user is an operator (managed with the CLI).'),
        404: error('No such user in this tenant.'),
        409: error("The tenant's last owner cannot be demoted."),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const member = await team.changeRole(c.get('principal').tenantId, id, c.req.valid('json').role);
      return c.json({ user: memberJson(member) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/team/users/{id}',
      tags: ['team'],
      summary: 'Remove a user: their sessions end at once',
      description: `${OWNERS_ONLY} The last owner cannot be removed (409).`,
      security: API_KEY,
      request: { params: IdParams },
      responses: {
        204: { description: 'Removed.' },
        401: error('Not signed in.'),
        403: error('Not an owner, no CSRF token, or the user is an operator (managed with the CLI).'),
        404: error('No such user in this tenant.'),
        409: error("The tenant's last owner cannot be removed."),
      },
    }),
    async (c) => {
      await team.remove(c.get('principal').tenantId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/team/users/{id}/set-password-link',
      tags: ['team'],
      summary: 'A new one-time set-password link for a user (their earlier links stop working)',
      description: `${OWNERS_ONLY} For a user who lost their first link or forgot their password. Their current password keeps working until the link is used.`,
      security: API_KEY,
      request: { params: IdParams },
      responses: {
        201: { description: 'Issued.', content: json(z.object({ setPasswordLink: LinkSchema })) },
        401: error('Not signed in.'),
        403: error('Not an owner, no CSRF token, or the user is an operator.'),
        404: error('No such user in this tenant.'),
      },
    }),
    async (c) => {
      const link = await team.issueLink(c.get('principal').tenantId, c.req.valid('param').id);
      return c.json({ setPasswordLink: linkJson(c, cookie, link) }, 201);
    },
  );
}
