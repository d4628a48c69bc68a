import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../core/index.ts';
import type { OverviewService } from '../../overview/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY_OR_SESSION, SESSION, error, json } from '../route-parts.ts';

const grade = z.enum(['perfect', 'ok', 'error', 'temperror']);

const DomainStatusSchema = z
  .object({
    name: z.string(),
    mode: z.string(),
    createdAt: z.string(),
    verified: z.boolean(),
    verifiedAt: z.string().nullable(),
    check: z.object({ grade, checkedAt: z.string() }).nullable(),
    records: z
      .object({ perfect: z.number(), ok: z.number(), error: z.number(), temperror: z.number() })
      .openapi({ description: 'How many planned records have each grade in the latest check.' }),
    dmarc: z.object({
      step: z.number(),
      label: z.string(),
      p: z.string(),
      percent: z.number(),
      autopilot: z.boolean(),
    }),
    key: z
      .object({
        selector: z.string(),
        algorithm: z.string(),
        origin: z.string(),
        activatedAt: z.string().nullable(),
        ageDays: z.number(),
      })
      .nullable()
      .openapi({ description: 'The key that signs now, and its age in days.' }),
  })
  .openapi('DomainStatus');

const DomainPageSchema = z.object({
  total: z.number(),
  offset: z.number(),
  limit: z.number(),
  domains: z.array(DomainStatusSchema),
});

const TenantSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    domains: z.number(),
    verifiedDomains: z.number(),
    users: z.number(),
  })
  .openapi('TenantSummary');

/** The dashboard's list views: the domains with their status badges, and the operator's tenant list. */
export function registerOverviewRoutes(app: OpenAPIHono<ApiEnv>, overview: OverviewService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/overview/domains',
      tags: ['overview'],
      summary: 'The domains list with status badges: verified, record grades, DMARC step, key age (paged)',
      security: API_KEY_OR_SESSION,
      request: {
        query: z.object({
          q: z.string().max(253).default('').openapi({ description: 'Part of a name to look for.' }),
          offset: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: {
        200: {
          description: 'One page, by name, and the total that match.',
          content: json(DomainPageSchema),
        },
        401: error('Not signed in and no API key.'),
      },
    }),
    async (c) => {
      const { q, offset, limit } = c.req.valid('query');
      const page = await overview.domains(c.get('principal').tenantId, { search: q, offset, limit });
      // The service's objects are deeply readonly; the answer is the same data as plain JSON.
      return c.json(JSON.parse(JSON.stringify(page)) as z.infer<typeof DomainPageSchema>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/overview/domains/{domain}/events',
      tags: ['overview'],
      summary: "One domain's events, newest first (paged)",
      security: API_KEY_OR_SESSION,
      request: {
        params: z.object({
          domain: z.string().openapi({ param: { name: 'domain', in: 'path' }, example: 'example.com' }),
        }),
        query: z.object({
          offset: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(200).default(20),
        }),
      },
      responses: {
        200: {
          description: 'One page and the total.',
          content: json(
            z.object({
              total: z.number(),
              offset: z.number(),
              limit: z.number(),
              events: z.array(
                z.object({
                  id: z.string(),
                  type: z.string(),
                  severity: z.string(),
                  at: z.string(),
                  message: z.string(),
                }),
              ),
            }),
          ),
        },
        401: error('Not signed in and no API key.'),
        404: error('No such domain for this tenant.'),
      },
    }),
    async (c) => {
      const { offset, limit } = c.req.valid('query');
      const page = await overview.domainEvents(
        c.get('principal').tenantId,
        c.req.valid('param').domain,
        offset,
        limit,
      );
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/operator/tenants',
      tags: ['overview'],
      summary: 'Operators: every tenant with its domain and user counts',
      security: SESSION,
      responses: {
        200: {
          description: 'The tenants, by name.',
          content: json(z.object({ tenants: z.array(TenantSummarySchema) })),
        },
        401: error('Not signed in.'),
        403: error('Not an operator.'),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      if (principal.via !== 'session' || principal.role !== 'operator') {
        throw new AppError('forbidden', 'Only operators see every tenant.');
      }
      return c.json({ tenants: await overview.tenants() }, 200);
    },
  );
}
