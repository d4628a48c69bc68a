import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MtaStsService } from '../../mta-sts/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';
import { DomainParam } from '../schemas.ts';

/** MTA-STS and TLS-RPT per domain (RFC 8461, RFC 8460): status, switch on, the mode with its guard, switch off. */

const MtaStsSchema = z
  .object({
    domain: z.string(),
    enabled: z.boolean(),
    mode: z.enum(['testing', 'enforce', 'none']).nullable(),
    mx: z.array(z.string()).openapi({ description: 'The mx: patterns of the policy.' }),
    policyHost: z.string().openapi({ example: 'mta-sts.example.com' }),
    policyUrl: z.string().openapi({ example: 'https://mta-sts.example.com/.well-known/mta-sts.txt' }),
    policyId: z.string().nullable().openapi({ description: 'The id in _mta-sts (RFC 8461 §3.1).' }),
    maxAge: z.number().nullable(),
    policy: z.string().nullable().openapi({ description: 'The policy text as served (CRLF line ends).' }),
    checkedMx: z.array(z.string()).openapi({ description: 'The MX hosts the last look-up found.' }),
    checkedAt: z.string().nullable(),
    uncoveredMx: z
      .array(z.string())
      .openapi({ description: 'MX hosts no pattern covers: enforce is refused while there are any.' }),
  })
  .openapi('MtaSts');

const EnableInput = z
  .strictObject({
    mx: z.array(z.string()).max(20).optional().openapi({
      description: 'mx: patterns (host names or *.domain); default: the MX hosts in the DNS now.',
    }),
  })
  .openapi('MtaStsEnableInput');

const ModeInput = z
  .strictObject({
    mode: z.enum(['testing', 'enforce', 'none']),
    force: z.boolean().optional().openapi({
      description:
        'Enforce although the TLS reports of the last days show failed sessions or there are none. An MX host outside the policy is refused all the same.',
    }),
  })
  .openapi('MtaStsModeInput');

const view = (v: unknown) => JSON.parse(JSON.stringify(v)) as z.infer<typeof MtaStsSchema>;

export function registerMtaStsRoutes(app: OpenAPIHono<ApiEnv>, mtaSts: MtaStsService): void {
  const path = '/v1/domains/{domain}/mta-sts';
  const common = { tags: ['mta-sts'], security: API_KEY };
  const ok = (description: string) => ({ description, content: json(MtaStsSchema) });
  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path,
      summary: "The domain's MTA-STS policy and TLS-RPT: mode, MX patterns, policy text and id",
      request: { params: DomainParam },
      responses: {
        200: ok('The MTA-STS state.'),
        401: error('No valid API key.'),
        404: error('No such domain.'),
      },
    }),
    async (c) =>
      c.json(view(await mtaSts.status(c.get('principal').tenantId, c.req.valid('param').domain)), 200),
  );
  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path,
      summary: 'Switch MTA-STS and TLS-RPT on (mode testing), or take in new MX patterns',
      request: { params: DomainParam, body: { content: json(EnableInput), required: false } },
      responses: {
        200: ok('On; the plan now has _mta-sts, _smtp._tls and mta-sts.<domain>.'),
        401: error('No valid API key.'),
        404: error('No such domain.'),
        422: error('No MX records, or a pattern that leaves an MX host out.'),
        503: error('The MX records could not be looked up.'),
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const { tenantId } = c.get('principal');
      const domain = c.req.valid('param').domain;
      const result =
        input?.mx === undefined
          ? await mtaSts.enable(tenantId, domain)
          : await mtaSts.enable(tenantId, domain, { mx: input.mx });
      return c.json(view(result), 200);
    },
  );
  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: `${path}/mode`,
      summary: 'Move the mode: testing, enforce (guarded by the TLS reports and the MX hosts) or none',
      request: { params: DomainParam, body: { content: json(ModeInput), required: true } },
      responses: {
        200: ok('The new mode; the policy id changes at once.'),
        401: error('No valid API key.'),
        404: error('No such domain.'),
        409: error(
          'MTA-STS is off, an MX host is not in the policy, or enforce needs "force" (details say why).',
        ),
      },
    }),
    async (c) => {
      const { mode, force } = c.req.valid('json');
      const v = await mtaSts.setMode(c.get('principal').tenantId, c.req.valid('param').domain, mode, {
        force: force === true,
      });
      return c.json(view(v), 200);
    },
  );
  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path,
      summary: 'Switch MTA-STS off (from enforce only through none, RFC 8461 §8.3, or with ?force=true)',
      request: { params: DomainParam, query: z.object({ force: z.enum(['true', 'false']).optional() }) },
      responses: {
        200: ok('Off; the records and the policy host leave the plan.'),
        401: error('No valid API key.'),
        404: error('No such domain.'),
        409: error('The policy is enforced: set mode none first, or force.'),
      },
    }),
    async (c) => {
      const v = await mtaSts.disable(c.get('principal').tenantId, c.req.valid('param').domain, {
        force: c.req.valid('query').force === 'true',
      });
      return c.json(view(v), 200);
    },
  );
}
