import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { COMPLAINT_RATE_THRESHOLDS, type FigureService } from '../../complaints/index.ts';
import type { DomainService } from '../../domains/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, response } from '../route-parts.ts';
import { DomainParam } from '../schemas.ts';

/**
 * What came back from a domain's mail per day: sent, delivered, bounced by class, complaints, unsubscribes and the
 * complaint rate, with the thresholds (0.1%, 0.3%) the large receivers hold bulk senders to. docs/complaints.md.
 */

const DaySchema = z
  .object({
    day: z.string().openapi({ example: '2026-12-07', description: 'The UTC day.' }),
    sent: z.number().openapi({ description: 'Recipients of the messages the gateway accepted that day.' }),
    delivered: z.number().openapi({ description: 'Deliveries the next hop accepted that day.' }),
    bounced: z.object({ hard: z.number(), soft: z.number(), block: z.number(), unknown: z.number() }),
    complaints: z
      .number()
      .openapi({ description: 'Complaints from feedback loops (ARF) about that day’s mail.' }),
    unsubscribes: z
      .number()
      .openapi({ description: 'Unsubscribes by mail (the List-Unsubscribe mailto address).' }),
    complaintRate: z.number().nullable().openapi({
      description: 'complaints / delivered; null on a day with fewer deliveries than minimumDelivered.',
    }),
  })
  .openapi('DomainDayFigures');

const FiguresSchema = z
  .object({
    domain: z.string(),
    minimumDelivered: z.number().openapi({
      description:
        'Deliveries a day needs before its complaint rate counts (suppression.complaintRateMinimumDelivered).',
    }),
    thresholds: z.array(z.number()).openapi({ example: [0.001, 0.003] }),
    days: z
      .array(DaySchema)
      .openapi({ description: 'Oldest first; days with no mail and no feedback are left out.' }),
  })
  .openapi('DomainFigures');

export function registerFigureRoutes(
  app: OpenAPIHono<ApiEnv>,
  figures: FigureService,
  domains: Pick<DomainService, 'get'>,
): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/figures',
      tags: ['figures'],
      summary:
        "The domain's mail per day: sent, delivered, bounces by class, complaints, unsubscribes, complaint rate",
      security: API_KEY,
      request: {
        params: DomainParam,
        query: z.object({
          days: z.coerce
            .number()
            .int()
            .min(1)
            .max(400)
            .default(30)
            .openapi({ description: 'Days up to today.' }),
        }),
      },
      responses: {
        200: response(FiguresSchema, 'The figures.'),
        401: error('No valid API key.'),
        404: error('No such domain for this tenant.'),
      },
    }),
    async (c) => {
      const tenantId = c.get('principal').tenantId;
      const domain = await domains.get(tenantId, c.req.valid('param').domain);
      const days = await figures.domainDays(tenantId, domain.id, c.req.valid('query').days);
      return c.json(
        {
          domain: domain.name,
          minimumDelivered: figures.minimumDelivered,
          thresholds: [...COMPLAINT_RATE_THRESHOLDS],
          days: days.map((d) => ({
            day: d.day,
            sent: d.sent,
            delivered: d.delivered,
            bounced: { hard: d.hard, soft: d.soft, block: d.block, unknown: d.unknown },
            complaints: d.complaints,
            unsubscribes: d.unsubscribes,
            complaintRate: d.complaintRate,
          })),
        },
        200,
      );
    },
  );
}
