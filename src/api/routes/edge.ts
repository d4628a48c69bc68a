import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { DomainEdgeStatus, EdgeService } from '../../edge/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, response } from '../route-parts.ts';
import { DomainParam } from '../schemas.ts';

/** The edge's routes: where each customer host and its certificate stand. Keys never leave the store. */

const HostStatusSchema = z
  .object({
    hostname: z.string().openapi({ example: 'clicks.example.com' }),
    role: z.string().openapi({
      example: 'click',
      description: 'What the host is for: click (clicks.<domain>), mta-sts (mta-sts.<domain>, RFC 8461).',
    }),
    status: z.enum(['waiting', 'pending', 'issued', 'renewing', 'failed', 'expired']).openapi({
      description:
        'waiting: no order yet (the domain is not verified, or the CNAME is not seen yet; see reason). pending: an order is under way or due. issued: a valid certificate. renewing: valid, past two thirds of its lifetime, renewal under way or due. failed: the last order failed (lastError has the CA’s words; nextAttemptAt the next try). expired: the certificate is past notAfter and no new one came.',
    }),
    reason: z.string().openapi({ description: 'A sentence for a person: why, and what happens next.' }),
    certificate: z
      .object({
        serial: z.string().openapi({ example: '4476F7D376D11CA8' }),
        issuer: z.string().openapi({ example: "CN=R11, O=Let's Encrypt, C=US" }),
        notBefore: z.string(),
        notAfter: z.string(),
        renewAt: z.string().openapi({ description: 'Two thirds of the lifetime after it was issued.' }),
        fingerprint: z.string().openapi({ description: 'SHA-256 of the certificate, colon-separated hex.' }),
      })
      .nullable(),
    orderStartedAt: z.string().nullable(),
    lastError: z
      .object({
        message: z
          .string()
          .openapi({ description: 'The CA’s error text, or what failed on the way to the CA.' }),
        at: z.string(),
      })
      .nullable(),
    attempts: z.number().openapi({ description: 'Failed orders in a row; the back-off doubles with each.' }),
    nextAttemptAt: z.string().nullable(),
  })
  .openapi('EdgeHostStatus');

const DomainEdgeSchema = z
  .object({ domain: z.string(), hosts: z.array(HostStatusSchema) })
  .openapi('DomainEdgeStatus');

export function registerEdgeRoutes(app: OpenAPIHono<ApiEnv>, edge: EdgeService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/edge',
      tags: ['edge'],
      summary: "The domain's customer hosts and their certificates",
      description:
        'Each host senderd serves for the domain (clicks.<domain> while tracking is on, mta-sts.<domain> while MTA-STS is on), with where its certificate stands: waiting for the CNAME, ordered, issued (with expiry and renewal time), renewing, failed (with the CA’s error and the next attempt) or expired.',
      security: API_KEY,
      request: { params: DomainParam },
      responses: {
        200: response(DomainEdgeSchema, 'The hosts.'),
        401: error('No valid API key.'),
        404: error('No such domain for this tenant.'),
      },
    }),
    async (c) => {
      const status = await edge.status(c.get('principal').tenantId, c.req.valid('param').domain);
      return c.json(body(status), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/edge',
      tags: ['edge'],
      summary: 'Every customer host of the tenant and its certificate',
      security: API_KEY,
      responses: {
        200: response(
          z.object({ domains: z.array(DomainEdgeSchema) }),
          'Each domain that has a customer host, by name.',
        ),
        401: error('No valid API key.'),
      },
    }),
    async (c) => {
      const statuses = await edge.statuses(c.get('principal').tenantId);
      return c.json({ domains: statuses.map(body) }, 200);
    },
  );
}

function body(status: DomainEdgeStatus): z.infer<typeof DomainEdgeSchema> {
  return { domain: status.domain, hosts: [...status.hosts] };
}
