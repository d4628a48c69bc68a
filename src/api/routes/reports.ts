import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../core/index.ts';
import type { ReportIngestService, ReportStatistics } from '../../reports/index.ts';
import type { ApiEnv } from '../context.ts';
import { actsAsOwner } from '../roles.ts';
import { API_KEY, error, response } from '../route-parts.ts';
import {
  Capped,
  OutcomeSchema,
  QuarantineSchema,
  ReporterSchema,
  ReportSchema,
  SelectorSchema,
  SourceSchema,
  SummarySchema,
  WindowSchema,
  outcomeJson,
  quarantineJson,
} from './report-schemas.ts';

export interface ReportsApiDeps {
  readonly ingest: ReportIngestService;
  readonly statistics: ReportStatistics;
  readonly maxUploadBytes: number;
}

const errors = {
  401: error('No valid API key.'),
  404: error('No such domain (or entry) for this tenant.'),
  422: error('Invalid input; `details` says what.'),
} as const;

const DomainParam = z.object({
  domain: z.string().openapi({ param: { name: 'domain', in: 'path' }, example: 'example.com' }),
});
const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const day = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
    .optional()
    .openapi({ description: `${what} day of the window (UTC, YYYY-MM-DD, included).` });
/** The window of a statistics request (see `WindowRequest`): the last `days`, `from`..`to`, or `all`. */
const windowQuery = {
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(36_600)
    .optional()
    .openapi({ description: 'Whole UTC days ending today (or ending `to`); 30 when nothing else is given.' }),
  from: day('The first'),
  to: day('The last'),
  all: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: from the first report stored for the domain to today.' }),
  basis: z.enum(['cover', 'arrival']).optional().openapi({
    description:
      'cover (default): a report counts on the day its date range covers; arrival: on the day it was stored.',
  }),
};
type WindowQuery = {
  days?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  all?: 'true' | 'false' | undefined;
  basis?: 'cover' | 'arrival' | undefined;
};
const windowOf = (q: WindowQuery) => ({ ...q, all: q.all === 'true' });
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** The request body as a stream, refused with 413 once it passes `max` bytes. */
async function* limitedBody(
  body: ReadableStream<Uint8Array> | null,
  max: number,
): AsyncGenerator<Uint8Array> {
  if (body === null) return;
  let bytes = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > max) throw new AppError('payload_too_large', `The upload is larger than ${max} bytes.`);
    yield chunk;
  }
}

export function registerReportRoutes(app: OpenAPIHono<ApiEnv>, deps: ReportsApiDeps): void {
  const { statistics } = deps;
  const tenant = (c: { get(key: 'principal'): { tenantId: string } }) => c.get('principal').tenantId;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/domains/{domain}/summary',
      tags: ['reports'],
      summary:
        'Daily DMARC figures of a domain: messages, disposition, DMARC pass, DKIM and SPF aligned pass',
      security: API_KEY,
      request: { params: DomainParam, query: z.object(windowQuery) },
      responses: {
        200: response(SummarySchema, 'Totals and one row per day with reports.'),
        401: errors[401],
        404: errors[404],
      },
    }),
    async (c) => {
      const summary = await statistics.summary(
        tenant(c),
        c.req.valid('param').domain,
        windowOf(c.req.valid('query')),
      );
      return c.json({ ...summary, daily: [...summary.daily], series: [...summary.series] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/domains/{domain}/sources',
      tags: ['reports'],
      summary:
        'Sending sources of a domain: address, reverse name, class (platform, forwarder, unknown), results',
      security: API_KEY,
      request: {
        params: DomainParam,
        query: z.object({
          ...windowQuery,
          limit: limit(10_000, 100),
          verified: z.enum(['true', 'false']).default('false').openapi({
            description:
              'true: figures from verified reports only (DKIM, forward-confirmed reverse DNS or operator-trusted), summed from their records by the days they cover; unverified and legacy reports left out. `total` is then the number listed.',
          }),
        }),
      },
      responses: {
        200: response(
          z.object({
            sources: z.array(SourceSchema),
            ...Capped,
            messages: z
              .number()
              .openapi({ description: 'Messages of every source in the window, listed or not.' }),
            window: WindowSchema,
          }),
          'By messages, most first; `total` sources in all.',
        ),
        401: errors[401],
        404: errors[404],
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { rows, ...rest } = await statistics.sources(
        tenant(c),
        c.req.valid('param').domain,
        windowOf(q),
        q.limit,
        q.verified === 'true',
      );
      return c.json({ sources: rows, ...rest }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/domains/{domain}/selectors',
      tags: ['reports'],
      summary: 'DKIM results per signing domain and selector (rotation health)',
      description: 'Always by the day reports cover (`basis` is ignored).',
      security: API_KEY,
      request: { params: DomainParam, query: z.object(windowQuery) },
      responses: {
        200: response(z.object({ selectors: z.array(SelectorSchema), ...Capped }), 'By messages; never cut.'),
        401: errors[401],
        404: errors[404],
      },
    }),
    async (c) => {
      const selectors = await statistics.selectors(
        tenant(c),
        c.req.valid('param').domain,
        windowOf(c.req.valid('query')),
      );
      return c.json({ selectors, total: selectors.length, truncated: false }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/domains/{domain}/reports',
      tags: ['reports'],
      summary: 'The aggregate and TLS reports received for a domain',
      security: API_KEY,
      request: { params: DomainParam, query: z.object({ ...windowQuery, limit: limit(1000, 100) }) },
      responses: {
        200: response(z.object({ reports: z.array(ReportSchema), ...Capped }), 'Newest first.'),
        401: errors[401],
        404: errors[404],
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { rows, total, truncated } = await statistics.reports(
        tenant(c),
        c.req.valid('param').domain,
        windowOf(q),
        q.limit,
      );
      return c.json({ reports: rows, total, truncated }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/domains/{domain}/failures',
      tags: ['reports'],
      summary: 'Failure reports of a domain, redacted (no local parts, bodies or subjects)',
      security: API_KEY,
      request: { params: DomainParam, query: z.object({ limit: limit(1000, 100) }) },
      responses: {
        200: response(
          z.object({
            failures: z.array(
              z.object({
                id: z.string(),
                receivedAt: z.string(),
                expiresAt: z.string(),
                report: z.record(z.string(), z.unknown()),
              }),
            ),
            ...Capped,
          }),
          'Newest first.',
        ),
        401: errors[401],
        404: errors[404],
      },
    }),
    async (c) => {
      const { rows, total, truncated } = await statistics.failures(
        tenant(c),
        c.req.valid('param').domain,
        c.req.valid('query').limit,
      );
      // The stored report is plain JSON already; it is handed on as such.
      const failures = rows.map((r) => ({
        ...r,
        report: JSON.parse(JSON.stringify(r.report)) as Record<string, unknown>,
      }));
      return c.json({ failures, total, truncated }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/reporters',
      tags: ['reports'],
      summary: 'The reporter scoreboard: reports, duplicates, malformed, late, gone silent',
      description: 'Always by the day reports cover (`basis` is ignored).',
      security: API_KEY,
      request: { query: z.object({ ...windowQuery, domain: z.string().optional() }) },
      responses: {
        200: response(z.object({ reporters: z.array(ReporterSchema), ...Capped }), 'By reporter; never cut.'),
        401: errors[401],
        404: errors[404],
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const reporters = await statistics.scoreboard(tenant(c), q.domain ?? null, windowOf(q));
      return c.json({ reporters, total: reporters.length, truncated: false }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/quarantine',
      tags: ['reports'],
      summary: "Inputs refused for this tenant's domains, with their reasons",
      security: API_KEY,
      request: { query: z.object({ limit: limit(1000, 100) }) },
      responses: {
        200: response(z.object({ quarantine: z.array(QuarantineSchema), ...Capped }), 'Newest first.'),
        401: errors[401],
      },
    }),
    async (c) => {
      const { rows, total, truncated } = await statistics.quarantine(tenant(c), c.req.valid('query').limit);
      return c.json({ quarantine: rows.map(quarantineJson), total, truncated }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/quarantine/{id}/raw',
      tags: ['reports'],
      summary:
        'The raw bytes of a quarantined input (its start, up to reports.maxRawKeptBytes), gzip-compressed',
      security: API_KEY,
      request: { params: IdParam },
      responses: {
        200: {
          description: 'gzip of the raw input.',
          content: { 'application/gzip': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        401: errors[401],
        404: errors[404],
      },
    }),
    async (c) => {
      const entry = await statistics.quarantineEntry(tenant(c), c.req.valid('param').id);
      if (entry === null) throw new AppError('not_found', 'No such quarantine entry.');
      return c.body(new Uint8Array(entry.rawGzip), 200, {
        'Content-Type': 'application/gzip',
        'Content-Disposition': `attachment; filename="quarantine-${entry.id}.gz"`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/reports/upload',
      tags: ['reports'],
      summary: 'Upload a report: XML, JSON, gzip, zip, an e-mail (.eml) or an mbox, detected by content',
      description:
        "Reports are attributed to this tenant's domain named by the report's policy domain. The answer lists what happened to each report found.",
      security: API_KEY,
      request: {
        query: z.object({
          trust: z.enum(['operator']).optional().openapi({
            description:
              "operator: vouch for the reporters of this upload (owners, operators and API keys only). Without it an upload is verified only if it is a whole message with a DKIM signature of the reporter's domain; otherwise its reports are stored as unverified and the autopilot ignores them.",
          }),
        }),
        body: {
          content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
          required: true,
        },
      },
      responses: {
        200: response(
          z.object({ outcomes: z.array(OutcomeSchema), bytes: z.number(), sha256: z.string() }),
          'What happened to each report.',
        ),
        401: errors[401],
        413: error('Larger than reports.maxUploadBytes.'),
      },
    }),
    async (c) => {
      const declared = Number(c.req.header('content-length') ?? '0');
      if (declared > deps.maxUploadBytes) {
        throw new AppError('payload_too_large', `The upload is larger than ${deps.maxUploadBytes} bytes.`);
      }
      const trust = c.req.valid('query').trust === 'operator';
      const principal = c.get('principal');
      if (trust && !actsAsOwner(principal)) {
        throw new AppError(
          'forbidden',
          `Only an owner of tenant ${principal.tenantName} can vouch for the reporters of an upload; you are a member. Upload without trust=operator, or ask an owner.`,
          [{ message: 'owner role required', reason: 'owner_required' }],
        );
      }
      const result = await deps.ingest.ingest({
        source: limitedBody(c.req.raw.body, deps.maxUploadBytes),
        via: 'upload',
        trustReporters: trust,
        tenantId: tenant(c),
        name: c.req.header('x-file-name')?.slice(0, 200) ?? 'upload',
      });
      return c.json(
        { outcomes: result.outcomes.map(outcomeJson), bytes: result.bytes, sha256: result.sha256 },
        200,
      );
    },
  );
}
