import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { formatPlan, planToJson, type DomainService, type SenderDomain } from '../../domains/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';
import {
  DomainCreateSchema,
  DomainParam,
  DomainSchema,
  DomainUpdateSchema,
  ErrorSchema,
  RecordFormatQuery,
  RecordPlanSchema,
} from '../schemas.ts';
import { z } from '@hono/zod-openapi';

const errors = {
  401: error('No valid API key.'),
  404: error('No such domain for this tenant.'),
  422: error('Invalid input; `details` says what.'),
} as const;

export function domainJson(d: SenderDomain): z.infer<typeof DomainSchema> {
  return {
    name: d.name,
    token: d.token,
    settings: {
      ...d.settings,
      spfMechanisms: [...d.settings.spfMechanisms],
      dkimSelectors: [...d.settings.dkimSelectors],
      ownDkimSelectors: d.settings.ownDkimSelectors.map((o) => ({ ...o })),
    },
    verified: d.verifiedAt !== null,
    verifiedAt: d.verifiedAt,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

export function registerDomainRoutes(app: OpenAPIHono<ApiEnv>, domains: DomainService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains',
      tags: ['domains'],
      summary: "List the tenant's sender domains",
      security: API_KEY,
      responses: {
        200: {
          description: 'The domains, by name.',
          content: json(z.object({ domains: z.array(DomainSchema) })),
        },
        401: errors[401],
      },
    }),
    async (c) => {
      const list = await domains.list(c.get('principal').tenantId);
      return c.json({ domains: list.map(domainJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/domains',
      tags: ['domains'],
      summary: 'Add a sender domain',
      description:
        'Validates and normalises the name (IDN to A-labels), draws a fresh token and returns the domain.',
      security: API_KEY,
      request: { body: { content: json(DomainCreateSchema), required: true } },
      responses: {
        201: { description: 'Added.', content: json(DomainSchema) },
        401: errors[401],
        409: {
          description: 'The tenant already has this domain.',
          content: json(ErrorSchema),
        },
        422: errors[422],
      },
    }),
    async (c) => {
      const { name, ...settings } = c.req.valid('json');
      const domain = await domains.add(c.get('principal').tenantId, name, settings);
      c.header('Location', `/v1/domains/${domain.name}`);
      return c.json(domainJson(domain), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}',
      tags: ['domains'],
      summary: 'Show a sender domain',
      security: API_KEY,
      request: { params: DomainParam },
      responses: {
        200: { description: 'The domain.', content: json(DomainSchema) },
        401: errors[401],
        404: errors[404],
      },
    }),
    async (c) => {
      const domain = await domains.get(c.get('principal').tenantId, c.req.valid('param').domain);
      return c.json(domainJson(domain), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/domains/{domain}',
      tags: ['domains'],
      summary: "Change a domain's settings",
      security: API_KEY,
      request: {
        params: DomainParam,
        body: { content: json(DomainUpdateSchema), required: true },
      },
      responses: {
        200: {
          description: 'The updated domain.',
          content: json(DomainSchema),
        },
        401: errors[401],
        404: errors[404],
        422: errors[422],
      },
    }),
    async (c) => {
      const domain = await domains.update(
        c.get('principal').tenantId,
        c.req.valid('param').domain,
        c.req.valid('json'),
      );
      return c.json(domainJson(domain), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/domains/{domain}',
      tags: ['domains'],
      summary: 'Remove a sender domain',
      description: 'Its hosted records disappear; its token is never issued again.',
      security: API_KEY,
      request: { params: DomainParam },
      responses: { 204: { description: 'Removed.' }, 401: errors[401], 404: errors[404] },
    }),
    async (c) => {
      await domains.remove(c.get('principal').tenantId, c.req.valid('param').domain);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/records',
      tags: ['domains'],
      summary: 'The record plan: what to create in DNS, and what senderd hosts',
      security: API_KEY,
      request: { params: DomainParam, query: RecordFormatQuery },
      responses: {
        200: {
          description: 'The plan, as JSON or in the format asked for.',
          content: {
            'application/json': { schema: RecordPlanSchema },
            'text/dns': { schema: z.string().openapi({ description: 'BIND zone snippet.' }) },
            'text/csv': { schema: z.string() },
            'text/plain': { schema: z.string().openapi({ description: 'A table for people.' }) },
          },
        },
        401: errors[401],
        404: errors[404],
      },
    }),
    async (c) => {
      const { domain: name } = c.req.valid('param');
      const { format, hosted } = c.req.valid('query');
      const tenantId = c.get('principal').tenantId;
      const domain = await domains.get(tenantId, name);
      const plan = await domains.planFor(domain);
      const options = { apex: domains.apexOf(domain.name), hosted: hosted === 'true' };
      if (format === 'json') return c.json(planToJson(plan, options), 200);
      const type = { bind: 'text/dns', csv: 'text/csv', table: 'text/plain' }[format];
      if (format !== 'table') {
        c.header(
          'Content-Disposition',
          `attachment; filename="${domain.name}.${format === 'bind' ? 'zone' : 'csv'}"`,
        );
      }
      return c.body(formatPlan(plan, format, options), 200, { 'Content-Type': `${type}; charset=utf-8` });
    },
  );
}
