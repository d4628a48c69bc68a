import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { policyOverridesInput, RSA_KEY_BITS_TEXT, rsaKeyBits, type DkimService } from '../../dkim/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';
import { DomainParam } from '../schemas.ts';

export const DkimKeySchema = z
  .object({
    id: z.string().openapi({ example: 'dk_m3k2q7x4ab5c6d7e' }),
    selector: z.string().openapi({ example: 'sd2' }),
    algorithm: z.enum(['rsa', 'ed25519']),
    bits: z.number(),
    origin: z.enum(['generated', 'imported']),
    state: z.enum(['pending', 'active', 'retiring', 'retired', 'revoked']),
    fingerprint: z.string().openapi({ description: 'SHA-256 of the public key bytes, hex.' }),
    publicKey: z.string().openapi({ description: 'The p= value (public key only).' }),
    record: z.string().openapi({ description: 'The TXT value published for the key in its current state.' }),
    createdAt: z.string(),
    activatedAt: z.string().nullable(),
    retiringAt: z.string().nullable(),
    retiredAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    visibleAt: z.string().nullable(),
    activationOverride: z.boolean(),
    revokeReason: z.string().nullable(),
    warnings: z.array(z.string()),
  })
  .openapi('DkimKey');

const PolicyTextSchema = z.object({
  rotationPeriod: z.string(),
  leadTime: z.string(),
  overlap: z.string(),
  retention: z.string(),
  agingThreshold: z.string(),
  ed25519: z.boolean(),
  rsaBits: z.number(),
});
const PolicySchema = z
  .object({ effective: PolicyTextSchema, overrides: PolicyTextSchema.partial() })
  .openapi('DkimPolicy');
// The service's own input schema, so the document promises exactly what setPolicy accepts.
const PolicyInputSchema = z
  .strictObject({ ...policyOverridesInput.shape })
  .openapi('DkimPolicyInput', { description: 'Per-domain overrides; null clears one.' });

const KeyParam = DomainParam.extend({
  keyId: z.string().openapi({ param: { name: 'keyId', in: 'path' }, example: 'dk_m3k2q7x4ab5c6d7e' }),
});

/** Routes for a domain's DKIM keys. Private keys go in (import) and never come out. */
export function registerDkimRoutes(app: OpenAPIHono<ApiEnv>, dkim: DkimService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/dkim/keys',
      tags: ['dkim'],
      summary: "The domain's DKIM keys, newest first (public parts only)",
      security: API_KEY,
      request: { params: DomainParam },
      responses: {
        200: {
          description: 'The keys.',
          content: json(z.object({ domain: z.string(), keys: z.array(DkimKeySchema) })),
        },
        401: error('No valid API key.'),
        404: error('No such domain.'),
      },
    }),
    async (c) => {
      const { domain, keys } = await dkim.list(c.get('principal').tenantId, c.req.valid('param').domain);
      return c.json(
        { domain: domain.name, keys: keys.map((k) => ({ ...k, warnings: [...k.warnings] })) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/domains/{domain}/dkim/rotate',
      tags: ['dkim'],
      summary: 'Rotate now: publish a new key, which signs once it is visible',
      description:
        'Publishes a freshly generated key in a free selector. It becomes active after the lead time once a resolver sees it, and the current key then co-signs for the overlap. If a new key is already waiting, that key is returned (201 only when a key was created).',
      security: API_KEY,
      request: {
        params: DomainParam,
        body: {
          content: json(
            z.strictObject({
              algorithm: z.enum(['rsa', 'ed25519']).optional(),
              bits: rsaKeyBits.optional().openapi({ description: `RSA only: ${RSA_KEY_BITS_TEXT}.` }),
            }),
          ),
          required: false,
        },
      },
      responses: {
        200: { description: 'A new key was already waiting.', content: json(DkimKeySchema) },
        201: { description: 'A new key is published.', content: json(DkimKeySchema) },
        401: error('No valid API key.'),
        404: error('No such domain.'),
        409: error('Every selector holds a key that is still needed.'),
        422: error('Invalid input.'),
      },
    }),
    async (c) => {
      const body =
        (c.req.valid('json') as { algorithm?: 'rsa' | 'ed25519'; bits?: number } | undefined) ?? {};
      const { key, created } = await dkim.rotate(
        c.get('principal').tenantId,
        c.req.valid('param').domain,
        body,
      );
      return c.json({ ...key, warnings: [...key.warnings] }, created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/domains/{domain}/dkim/keys/import',
      tags: ['dkim'],
      summary: 'Import your own private key (PEM)',
      description:
        'PKCS#1 or PKCS#8, RSA (at least 1024 bits; under 2048 is accepted with a warning) or Ed25519. Encrypted PEM needs its passphrase. With `publicKey`, the pair is checked. The key is self-tested, sealed under the key-encryption key, and never returned. Imported keys do not rotate by themselves.',
      security: API_KEY,
      request: {
        params: DomainParam,
        body: {
          content: json(
            z.strictObject({
              pem: z.string().max(65536),
              passphrase: z.string().max(1024).optional(),
              publicKey: z.string().max(65536).optional(),
            }),
          ),
          required: true,
        },
      },
      responses: {
        201: {
          description: 'Imported and published as pending.',
          content: json(z.object({ key: DkimKeySchema, warnings: z.array(z.string()) })),
        },
        401: error('No valid API key.'),
        404: error('No such domain.'),
        409: error('Every selector holds a key that is still needed.'),
        422: error('The key was refused; the message says why.'),
      },
    }),
    async (c) => {
      const { key, warnings } = await dkim.import(
        c.get('principal').tenantId,
        c.req.valid('param').domain,
        c.req.valid('json'),
      );
      return c.json({ key: { ...key, warnings: [...key.warnings] }, warnings: [...warnings] }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/domains/{domain}/dkim/keys/{keyId}/revoke',
      tags: ['dkim'],
      summary: 'Revoke a key at once (published with an empty p=)',
      security: API_KEY,
      request: {
        params: KeyParam,
        body: { content: json(z.strictObject({ force: z.boolean().optional() })), required: false },
      },
      responses: {
        200: { description: 'Revoked.', content: json(DkimKeySchema) },
        401: error('No valid API key.'),
        404: error('No such domain or key.'),
        409: error('The key signs now; repeat with force.'),
      },
    }),
    async (c) => {
      const body = (c.req.valid('json') as { force?: boolean } | undefined) ?? {};
      const { domain, keyId } = c.req.valid('param');
      const key = await dkim.revoke(c.get('principal').tenantId, domain, keyId, {
        force: body.force === true,
      });
      return c.json({ ...key, warnings: [...key.warnings] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/domains/{domain}/dkim/keys/{keyId}/activate',
      tags: ['dkim'],
      summary: 'Operator override: let a pending key activate without seeing it in DNS',
      description:
        'The lead time still applies. Use it when the resolvers senderd asks cannot see the customer’s DNS.',
      security: API_KEY,
      request: { params: KeyParam },
      responses: {
        200: { description: 'The override is set.', content: json(DkimKeySchema) },
        401: error('No valid API key.'),
        404: error('No such domain or key.'),
        409: error('The key is not pending.'),
      },
    }),
    async (c) => {
      const { domain, keyId } = c.req.valid('param');
      const key = await dkim.allowActivation(c.get('principal').tenantId, domain, keyId);
      return c.json({ ...key, warnings: [...key.warnings] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/dkim/policy',
      tags: ['dkim'],
      summary: "The domain's rotation policy",
      security: API_KEY,
      request: { params: DomainParam },
      responses: {
        200: { description: 'Effective values and overrides.', content: json(PolicySchema) },
        401: error('No valid API key.'),
        404: error('No such domain.'),
      },
    }),
    async (c) => c.json(await dkim.policy(c.get('principal').tenantId, c.req.valid('param').domain), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/domains/{domain}/dkim/policy',
      tags: ['dkim'],
      summary: "Override the domain's rotation policy",
      security: API_KEY,
      request: { params: DomainParam, body: { content: json(PolicyInputSchema), required: true } },
      responses: {
        200: { description: 'The new policy.', content: json(PolicySchema) },
        401: error('No valid API key.'),
        404: error('No such domain.'),
        422: error('Invalid policy; details say what.'),
      },
    }),
    async (c) =>
      c.json(
        await dkim.setPolicy(c.get('principal').tenantId, c.req.valid('param').domain, c.req.valid('json')),
        200,
      ),
  );
}
