import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { DomainConnectService } from '../../provisioning/index.ts';
import type { ApiEnv } from '../context.ts';
import { DomainParam, ErrorSchema } from '../schemas.ts';

const OfferSchema = z
  .object({
    kind: z.enum(['available', 'unavailable']),
    provider: z.string().optional(),
    apex: z.string().optional(),
    host: z.string().optional(),
    applyUrl: z
      .string()
      .optional()
      .openapi({ description: "The signed link to the DNS provider's consent page." }),
    reason: z
      .string()
      .optional()
      .openapi({ description: 'Why not: the wizard falls back to copying the records.' }),
  })
  .openapi('DomainConnectOffer');

/** Domain Connect (draft-ietf-dconn-domainconnect-03): the platform's template and a domain's apply link. */
export function registerDomainConnectRoutes(app: OpenAPIHono<ApiEnv>, dc: DomainConnectService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/domain-connect',
      tags: ['domains'],
      summary:
        "Whether the domain's DNS provider can apply the records (Domain Connect), and the signed link",
      security: [{ apiKey: [] }],
      request: {
        params: DomainParam,
        query: z.object({
          state: z.string().max(200).optional(),
          redirectUri: z.string().url().max(2000).optional(),
        }),
      },
      responses: {
        200: { description: 'The offer.', content: { 'application/json': { schema: OfferSchema } } },
        404: {
          description: 'No such domain for this tenant.',
          content: { 'application/json': { schema: ErrorSchema } },
        },
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const offer = await dc.offer(c.get('principal').tenantId, c.req.valid('param').domain, {
        state: query.state ?? null,
        redirectUri: query.redirectUri ?? null,
      });
      return c.json(offer, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domain-connect/template',
      tags: ['domains'],
      summary: "The platform's Domain Connect template, to give to DNS providers",
      security: [{ apiKey: [] }],
      responses: {
        200: {
          description: 'The template (valid against the Domain Connect templates schema).',
          content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
        },
      },
    }),
    (c) => c.json({ ...dc.template() } as Record<string, unknown>, 200),
  );
}
