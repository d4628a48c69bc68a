import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../core/index.ts';
import { parseTsigKey } from '../../dns-wire/index.ts';
import type { DnsApplyService } from '../../provisioning/index.ts';
import type { ApiEnv } from '../context.ts';
import { DomainParam, ErrorSchema } from '../schemas.ts';

const ApplyRequestSchema = z
  .object({
    server: z.string().min(1).max(260).openapi({
      example: 'ns1.example.com:53',
      description: "HOST[:PORT] of the zone's primary server, which accepts dynamic updates.",
    }),
    tsigKey: z
      .object({
        name: z.string().min(1).max(255),
        algorithm: z.string().openapi({ example: 'hmac-sha256' }),
        secret: z
          .string()
          .min(1)
          .max(1024)
          .openapi({ description: 'Base64. Used for this request only: never stored, logged or returned.' }),
      })
      .nullable()
      .optional(),
    dryRun: z.boolean().optional().openapi({ description: 'Show the difference; send nothing.' }),
  })
  .openapi('DnsApplyRequest');

const ApplyResultSchema = z
  .object({
    zone: z.string(),
    items: z.array(
      z.object({
        action: z.enum(['add', 'replace', 'unchanged', 'conflict']),
        name: z.string(),
        type: z.string(),
        value: z.string(),
        current: z.string().nullable(),
        reason: z.string().nullable(),
      }),
    ),
    sent: z.enum(['dry-run', 'nothing-to-do', 'sent']),
    outcome: z
      .object({
        kind: z.enum(['applied', 'refused', 'failure']),
        rcode: z.string().optional(),
        tsigError: z.string().nullable().optional(),
        reason: z.string().optional(),
      })
      .nullable(),
    message: z.string(),
    checkGrade: z.string().nullable(),
  })
  .openapi('DnsApplyResult');

/** POST /v1/domains/{domain}/dns-apply: the API twin of `senderd dns apply`. */
export function registerDnsApplyRoutes(app: OpenAPIHono<ApiEnv>, dnsApply: DnsApplyService): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/domains/{domain}/dns-apply',
      tags: ['domains'],
      summary: "Write the domain's records into the customer's zone (RFC 2136)",
      description:
        'Reads the zone from its primary, shows the difference, and (unless dryRun) sends one TSIG-signed dynamic update whose prerequisites make it fail rather than overwrite a change made meanwhile; then checks the domain. A refusal (NOTAUTH, REFUSED, BADKEY, a failed prerequisite) is a 200 with outcome.kind "refused" and a message saying what to do.',
      security: [{ apiKey: [] }],
      request: {
        params: DomainParam,
        body: { content: { 'application/json': { schema: ApplyRequestSchema } }, required: true },
      },
      responses: {
        200: {
          description: 'What was done.',
          content: { 'application/json': { schema: ApplyResultSchema } },
        },
        400: {
          description:
            'A bad server or key, or a server on a private, loopback or reserved address (unless checks.allowPrivateApplyServers).',
          content: { 'application/json': { schema: ErrorSchema } },
        },
        404: {
          description: 'No such domain for this tenant.',
          content: { 'application/json': { schema: ErrorSchema } },
        },
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      let key = null;
      if (body.tsigKey != null) {
        const parsed = parseTsigKey(
          body.tsigKey.name,
          body.tsigKey.algorithm.toLowerCase(),
          body.tsigKey.secret,
        );
        if (!parsed.ok) throw new AppError('bad_request', `tsigKey: ${parsed.error}`);
        key = parsed.value;
      }
      const result = await dnsApply.apply(c.get('principal').tenantId, c.req.valid('param').domain, {
        server: body.server,
        key,
        dryRun: body.dryRun === true,
        trusted: false,
      });
      return c.json(result as z.infer<typeof ApplyResultSchema>, 200);
    },
  );
}
