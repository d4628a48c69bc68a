import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Principal } from '../../accounts/index.ts';
import { AppError } from '../../core/index.ts';
import {
  SUPPRESSION_REASONS,
  SUPPRESSION_SOURCES,
  type Suppression,
  type SuppressionReason,
  type SuppressionService,
  type SuppressionSource,
} from '../../suppression/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';

/**
 * The tenant's suppression list: pages with the total, search, one address with its audit trail, add, remove
 * (who and why go to the audit trail), and CSV import and export. docs/bounces.md describes the list.
 */

const SuppressionSchema = z
  .object({
    address: z.string().openapi({ example: 'reader@example.com' }),
    reason: z.enum(SUPPRESSION_REASONS as [SuppressionReason, ...SuppressionReason[]]),
    source: z.enum(SUPPRESSION_SOURCES as [SuppressionSource, ...SuppressionSource[]]),
    evidence: z.string().openapi({
      description:
        "The receiver's reply for a bounce; the feedback report's fields for a complaint; how an unsubscribe arrived; the note of a person.",
    }),
    messageId: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    createdBy: z.string(),
    domain: z.string().nullable().openapi({
      description:
        'The one sender domain (A-labels) whose mail the entry stops; null: every sender domain of the tenant.',
      example: null,
    }),
  })
  .openapi('Suppression');

const AuditSchema = z
  .object({
    address: z.string(),
    action: z.enum(['added', 'removed']),
    reason: z.enum(SUPPRESSION_REASONS as [SuppressionReason, ...SuppressionReason[]]).nullable(),
    at: z.string(),
    actor: z.string(),
    why: z.string(),
    domain: z
      .string()
      .nullable()
      .openapi({ description: "The entry's sender domain; null: the whole tenant." }),
  })
  .openapi('SuppressionAudit');

const AddressParam = z.object({
  address: z.string().openapi({ param: { name: 'address', in: 'path' }, example: 'reader@example.com' }),
});

const toJson = ({ tenantId: _t, domain, ...s }: Suppression) => ({ ...s, domain: domain ?? null });

const DomainQuery = z.string().max(253).optional().openapi({
  description: 'A sender domain of the tenant: the entry scoped to it (absent: the whole tenant).',
});

/** Who made a change, for the audit trail: the API key, the signed-in user, or the CLI. */
export function actorOf(p: Principal): string {
  if (p.via === 'api-key') return `api-key:${p.keyId ?? '?'}`;
  if (p.via === 'session') return `user:${p.userId ?? '?'}`;
  return 'cli';
}

const invalid = (message: string) =>
  new AppError('validation_failed', message, [{ path: 'address', message }]);

export function registerSuppressionRoutes(app: OpenAPIHono<ApiEnv>, suppressions: SuppressionService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/suppressions',
      tags: ['suppressions'],
      summary: 'The suppression list, newest first, a page at a time with the total',
      security: API_KEY,
      request: {
        query: z.object({
          search: z
            .string()
            .max(320)
            .optional()
            .openapi({ description: 'Part of the address, matched literally, ignoring case.' }),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
      responses: {
        200: {
          description: 'One page of entries in force.',
          content: json(
            z.object({
              suppressions: z.array(SuppressionSchema),
              total: z.number(),
              limit: z.number(),
              offset: z.number(),
            }),
          ),
        },
        401: error('No valid API key.'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await suppressions.list(c.get('principal').tenantId, {
        ...(q.search !== undefined ? { contains: q.search } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      return c.json(
        { suppressions: page.items.map(toJson), total: page.total, limit: q.limit, offset: q.offset },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/suppressions/export',
      tags: ['suppressions'],
      summary: 'Every entry in force, as CSV (RFC 4180) with a header row',
      security: API_KEY,
      responses: {
        200: { description: 'The list.', content: { 'text/csv': { schema: z.string() } } },
        401: error('No valid API key.'),
      },
    }),
    (c) => {
      const tenantId = c.get('principal').tenantId;
      const chunks = suppressions.exportCsv(tenantId);
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await chunks.next();
          if (next.done === true) controller.close();
          else controller.enqueue(new TextEncoder().encode(next.value));
        },
      });
      return c.body(body, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="suppressions.csv"',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/suppressions/import',
      tags: ['suppressions'],
      summary:
        'Add the addresses of a CSV file (a header row naming an address column; reason, evidence, expires_at kept)',
      security: API_KEY,
      request: { body: { content: { 'text/csv': { schema: z.string() } }, required: true } },
      responses: {
        200: {
          description: 'What was added; rows that could not be read are listed by line and skipped.',
          content: json(
            z.object({
              added: z.number(),
              unchanged: z.number(),
              problems: z.array(z.object({ line: z.number(), message: z.string() })),
            }),
          ),
        },
        401: error('No valid API key.'),
        422: error('The file is not CSV with an address column.'),
      },
    }),
    async (c) => {
      const text = await c.req.text();
      const principal = c.get('principal');
      const outcome = await suppressions.importCsv(principal.tenantId, text, actorOf(principal));
      if (!outcome.ok) throw new AppError('validation_failed', outcome.error);
      return c.json({ ...outcome.value, problems: [...outcome.value.problems] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/suppressions/audit',
      tags: ['suppressions'],
      summary: 'The audit trail: every addition and removal, with who and why, newest first',
      security: API_KEY,
      request: {
        query: z.object({
          address: z.string().max(320).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
      responses: {
        200: { description: 'Audit rows.', content: json(z.object({ audit: z.array(AuditSchema) })) },
        401: error('No valid API key.'),
        422: error('Not an e-mail address.'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await suppressions.audit(c.get('principal').tenantId, q.address ?? null, q.limit);
      if (!rows.ok) throw invalid(rows.error);
      return c.json(
        { audit: rows.value.map(({ tenantId: _t, domain, ...a }) => ({ ...a, domain: domain ?? null })) },
        200,
      );
    },
  );

  const ActionSchema = z
    .object({
      action: z.enum(['refuse', 'drop']).openapi({
        description:
          'refuse: the gateway refuses a suppressed recipient at RCPT with a reply naming the reason (the default); drop: it accepts it, sends nothing to it and emits gateway.recipient.dropped.',
      }),
    })
    .openapi('SuppressionSettings');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/suppressions/settings',
      tags: ['suppressions'],
      summary: 'What the gateway does with a suppressed recipient',
      security: API_KEY,
      responses: {
        200: { description: "The tenant's choice.", content: json(ActionSchema) },
        401: error('No valid API key.'),
      },
    }),
    async (c) => c.json({ action: await suppressions.action(c.get('principal').tenantId) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/suppressions/settings',
      tags: ['suppressions'],
      summary: 'Choose whether the gateway refuses suppressed recipients at RCPT or accepts and drops them',
      security: API_KEY,
      request: { body: { content: json(ActionSchema.strict()), required: true } },
      responses: {
        200: { description: 'Saved.', content: json(ActionSchema) },
        401: error('No valid API key.'),
      },
    }),
    async (c) => {
      const { action } = c.req.valid('json');
      const principal = c.get('principal');
      await suppressions.setAction(principal.tenantId, action, actorOf(principal));
      return c.json({ action }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/suppressions',
      tags: ['suppressions'],
      summary: 'Suppress an address: the gateway refuses it at RCPT until it is removed (or expires)',
      security: API_KEY,
      request: {
        body: {
          content: json(
            z.strictObject({
              address: z.string().min(3).max(320),
              why: z
                .string()
                .min(1)
                .max(1000)
                .openapi({ description: 'Kept as the evidence and in the audit trail.' }),
              expiresAt: z.iso.datetime().optional(),
              domain: z.string().min(1).max(253).optional().openapi({
                description:
                  'Suppress only for mail of this sender domain of the tenant (checked against the MAIL FROM domain at RCPT); absent: every sender domain.',
              }),
            }),
          ),
          required: true,
        },
      },
      responses: {
        201: { description: 'Suppressed.', content: json(SuppressionSchema) },
        401: error('No valid API key.'),
        422: error('Not an e-mail address.'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const principal = c.get('principal');
      const added = await suppressions.add(principal.tenantId, {
        address: body.address,
        actor: actorOf(principal),
        source: 'api',
        why: body.why,
        ...(body.expiresAt !== undefined ? { expiresAt: new Date(body.expiresAt).toISOString() } : {}),
        ...(body.domain !== undefined ? { domain: body.domain } : {}),
      });
      if (!added.ok) throw invalid(added.error);
      return c.json(toJson(added.value), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/suppressions/{address}',
      tags: ['suppressions'],
      summary: 'Whether an address is suppressed, why and since when',
      security: API_KEY,
      request: {
        params: AddressParam,
        query: z.object({
          domain: z.string().max(253).optional().openapi({
            description:
              "For mail of this sender domain: the tenant's own entry, else the one scoped to it. Absent: the tenant's own entry only.",
          }),
        }),
      },
      responses: {
        200: { description: 'The entry in force.', content: json(SuppressionSchema) },
        401: error('No valid API key.'),
        404: error('The address is not suppressed.'),
        422: error('Not an e-mail address.'),
      },
    }),
    async (c) => {
      const address = c.req.valid('param').address;
      const found = await suppressions.find(
        c.get('principal').tenantId,
        address,
        c.req.valid('query').domain,
      );
      if (!found.ok) throw invalid(found.error);
      if (found.value === null) throw new AppError('not_found', `${address} is not on the suppression list.`);
      return c.json(toJson(found.value), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/suppressions/{address}',
      tags: ['suppressions'],
      summary: 'Remove an address from the list; who and why go to the audit trail',
      security: API_KEY,
      request: {
        params: AddressParam,
        query: z.object({
          why: z.string().min(1).max(1000).openapi({ description: 'Why it is removed.' }),
          domain: DomainQuery,
        }),
      },
      responses: {
        204: { description: 'Removed: mail to it is accepted again.' },
        401: error('No valid API key.'),
        404: error('The address is not on the list.'),
        422: error('Not an e-mail address, or no reason given.'),
      },
    }),
    async (c) => {
      const { address } = c.req.valid('param');
      const principal = c.get('principal');
      const query = c.req.valid('query');
      const removed = await suppressions.remove(
        principal.tenantId,
        address,
        actorOf(principal),
        query.why,
        query.domain,
      );
      if (!removed.ok) throw invalid(removed.error);
      if (!removed.value)
        throw new AppError(
          'not_found',
          `${address} is not on the suppression list${query.domain === undefined ? '' : ` for ${query.domain}`}.`,
        );
      return c.body(null, 204);
    },
  );
}
