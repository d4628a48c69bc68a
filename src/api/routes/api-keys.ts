import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AccountService, ApiKeyRecord } from '../../accounts/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

const keyJson = (k: ApiKeyRecord): z.infer<typeof ApiKeySchema> => ({
  id: k.id,
  name: k.name,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

/** The tenant's API keys: owners (and API keys) list, create and revoke them, as `senderd apikey` does. */
export function registerApiKeyRoutes(app: OpenAPIHono<ApiEnv>, accounts: AccountService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/api-keys',
      tags: ['team'],
      summary: "The tenant's API keys (never their secrets)",
      security: API_KEY,
      responses: {
        200: { description: 'The keys.', content: json(z.object({ apiKeys: z.array(ApiKeySchema) })) },
        401: error('Not signed in.'),
        403: error('Not an owner.'),
      },
    }),
    async (c) => {
      const keys = await accounts.listApiKeys(c.get('principal').tenantId);
      return c.json({ apiKeys: keys.map(keyJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/api-keys',
      tags: ['team'],
      summary: 'Create an API key; its full text is in this answer only',
      security: API_KEY,
      request: {
        body: { content: json(z.strictObject({ name: z.string().min(1).max(100) })), required: true },
      },
      responses: {
        201: { description: 'Created.', content: json(z.object({ apiKey: ApiKeySchema, key: z.string() })) },
        401: error('Not signed in.'),
        403: error('Not an owner, or no CSRF token.'),
      },
    }),
    async (c) => {
      const { key, record } = await accounts.createApiKey(
        c.get('principal').tenantId,
        c.req.valid('json').name,
      );
      return c.json({ apiKey: keyJson(record), key }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/api-keys/{id}',
      tags: ['team'],
      summary: 'Revoke an API key at once',
      security: API_KEY,
      request: {
        params: z.object({
          id: z
            .string()
            .max(100)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
      },
      responses: {
        204: { description: 'Revoked.' },
        401: error('Not signed in.'),
        403: error('Not an owner, or no CSRF token.'),
        404: error('No such key in this tenant.'),
      },
    }),
    async (c) => {
      await accounts.revokeApiKey(c.get('principal').tenantId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
}
