import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../core/index.ts';
import type { CheckService } from '../../checks/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';
import { DomainParam } from '../schemas.ts';

const GradeSchema = z.enum(['perfect', 'ok', 'error', 'temperror']).openapi({
  description:
    'perfect: as planned; ok: works, with a remark; error: does not work; temperror: could not be checked now.',
});
const RemarkSchema = z
  .object({
    code: z
      .string()
      .openapi({ example: 'cname-flattened', description: 'Stable code, listed in docs/checks.md.' }),
    severity: z.enum(['note', 'warning', 'error', 'temperror']),
    message: z.string(),
  })
  .openapi('CheckRemark');
const ObservationSchema = z
  .object({
    path: z.enum(['authoritative', 'recursive']),
    server: z.string(),
    name: z.string(),
    type: z.string(),
    value: z.string().nullable(),
    ttl: z.number().nullable().openapi({ description: 'TTL in the answer; from a resolver, the TTL left.' }),
  })
  .openapi('CheckObservation');
export const DomainCheckSchema = z
  .object({
    domain: z.string(),
    mode: z.string(),
    checkedAt: z.string(),
    grade: GradeSchema,
    verification: z.object({ verified: z.boolean(), evidence: z.string().nullable() }),
    zone: z.object({
      apex: z.string().nullable(),
      nameservers: z.array(
        z.object({
          name: z.string(),
          address: z.string(),
          status: z.enum(['ok', 'lame', 'timeout', 'servfail', 'failure']),
          serial: z.number().nullable().optional().openapi({
            description: "The zone's SOA serial this server gives (absent in checks stored before 0.2).",
          }),
        }),
      ),
      remarks: z.array(RemarkSchema),
    }),
    records: z.array(
      z.object({
        key: z.string().openapi({ example: 'dkim:sd1' }),
        name: z.string(),
        type: z.string(),
        purpose: z.string(),
        required: z.boolean(),
        expected: z.string(),
        grade: GradeSchema,
        remarks: z.array(RemarkSchema),
        observed: z.array(ObservationSchema),
      }),
    ),
    stats: z.object({ queries: z.number(), ms: z.number() }),
  })
  .openapi('DomainCheck');

const errors = {
  401: error('No valid API key.'),
  404: error('No such domain for this tenant, or (GET) not checked yet.'),
} as const;

export function registerCheckRoutes(app: OpenAPIHono<ApiEnv>, checks: CheckService): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/domains/{domain}/check',
      tags: ['checks'],
      summary: "Check the domain's DNS now",
      description:
        'Follows the delegation to the domain’s own nameservers and asks the configured resolvers, grades every planned record, stores the result as the latest and marks the domain verified when its DNS shows this tenant’s token.',
      security: API_KEY,
      request: { params: DomainParam },
      responses: {
        200: { description: 'The check.', content: json(DomainCheckSchema) },
        ...errors,
      },
    }),
    async (c) => {
      const check = await checks.checkNow(c.get('principal').tenantId, c.req.valid('param').domain);
      return c.json(check as z.infer<typeof DomainCheckSchema>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/check',
      tags: ['checks'],
      summary: 'The latest check of the domain',
      security: API_KEY,
      request: { params: DomainParam },
      responses: {
        200: {
          description: 'The latest check and when the next one is due.',
          content: json(z.object({ check: DomainCheckSchema, nextCheckAt: z.string() })),
        },
        ...errors,
      },
    }),
    async (c) => {
      const name = c.req.valid('param').domain;
      const stored = await checks.latest(c.get('principal').tenantId, name);
      if (stored === null)
        throw new AppError('not_found', `${name} has not been checked yet: POST /v1/domains/${name}/check.`);
      return c.json(
        { check: stored.check as z.infer<typeof DomainCheckSchema>, nextCheckAt: stored.nextCheckAt },
        200,
      );
    },
  );
}
