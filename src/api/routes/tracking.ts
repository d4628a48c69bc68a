import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../core/index.ts';
import type { DomainService } from '../../domains/index.ts';
import type { LinkFigures, StoredTrackingEvent, TrackingService } from '../../tracking/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, response } from '../route-parts.ts';
import { DomainParam } from '../schemas.ts';

/**
 * Tracking's routes: a domain's opens and clicks per day (unique per message and recipient, by class: only
 * `human` counts as people), click-through by link, the events themselves, and the top links of a message. Every
 * read is the tenant's own; another tenant's domain is not found.
 */

const ByClassSchema = z
  .object({
    human: z.number(),
    'privacy-proxy': z.number(),
    scanner: z.number(),
  })
  .openapi('TrackingByClass', {
    description:
      'Counts by class: human (a person), privacy-proxy (Apple Mail Privacy Protection, Gmail and Yahoo image proxies: fetched whether or not anyone reads), scanner (link scanners: known user agents, a click within seconds of delivery, many links at once).',
  });

const DaySchema = z
  .object({
    day: z.string().openapi({ example: '2026-12-01' }),
    delivered: z.number().openapi({ description: 'Recipients delivered that day (the gateway’s attempts).' }),
    opens: ByClassSchema,
    clicks: ByClassSchema,
  })
  .openapi('TrackingDay');

const LinkSchema = z
  .object({
    url: z.string(),
    linkIndex: z
      .number()
      .nullable()
      .openapi({ description: 'The link’s position in the message (0 first); null over a domain.' }),
    unique: ByClassSchema,
    humanClicks: z.number().openapi({ description: 'Every click by a person, repeated ones included.' }),
  })
  .openapi('TrackingLink');

const FiguresSchema = z
  .object({
    domain: z.string(),
    from: z.string(),
    to: z.string(),
    totals: z.object({ delivered: z.number(), opens: ByClassSchema, clicks: ByClassSchema }),
    days: z.array(DaySchema),
    links: z.array(LinkSchema),
  })
  .openapi('TrackingFigures');

const EventSchema = z
  .object({
    id: z.number(),
    kind: z.enum(['open', 'click']),
    messageId: z.string(),
    recipientIndex: z.number(),
    linkIndex: z.number(),
    url: z.string(),
    at: z.string(),
    clientNetwork: z
      .string()
      .openapi({ description: 'The client’s /24 or /48 network: addresses are truncated before storage.' }),
    userAgent: z.string(),
    class: z.enum(['human', 'privacy-proxy', 'scanner']),
    rule: z.string().openapi({ description: 'The classifier rule that decided; none for a person.' }),
  })
  .openapi('TrackingEvent');

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const link = (l: LinkFigures): z.infer<typeof LinkSchema> => ({ ...l, unique: { ...l.unique } });
const event = (e: StoredTrackingEvent): z.infer<typeof EventSchema> => ({
  id: e.id,
  kind: e.kind,
  messageId: e.messageId,
  recipientIndex: e.recipientIndex,
  linkIndex: e.linkIndex,
  url: e.url,
  at: e.at,
  clientNetwork: e.clientNetwork,
  userAgent: e.userAgent,
  class: e.class,
  rule: e.rule,
});

export function registerTrackingRoutes(
  app: OpenAPIHono<ApiEnv>,
  tracking: TrackingService,
  domains: DomainService,
): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/tracking',
      tags: ['tracking'],
      summary: 'Opens and clicks of the domain per day, and click-through by link',
      description:
        'Per day (UTC) from `from` to `to` (the last 30 days by default, at most 366): recipients delivered, and unique opens and clicks (one per message and recipient) by class. Only `human` counts as people; privacy proxies and scanners are reported beside it. Links are ranked by people’s unique clicks.',
      security: API_KEY,
      request: {
        params: DomainParam,
        query: z.object({ from: Day.optional(), to: Day.optional() }),
      },
      responses: {
        200: response(FiguresSchema, 'The figures.'),
        400: error('A range that is empty or longer than 366 days.'),
        401: error('No valid API key.'),
        404: error('No such domain for this tenant.'),
      },
    }),
    async (c) => {
      const tenantId = c.get('principal').tenantId;
      const domain = await domains.get(tenantId, c.req.valid('param').domain);
      const { from, to } = c.req.valid('query');
      const figures = await tracking.figures(tenantId, domain.id, {
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      });
      if (!figures.ok) throw new AppError('bad_request', figures.error);
      const f = figures.value;
      return c.json(
        {
          domain: domain.name,
          from: f.from,
          to: f.to,
          totals: {
            delivered: f.totals.delivered,
            opens: { ...f.totals.opens },
            clicks: { ...f.totals.clicks },
          },
          days: f.days.map((d) => ({ ...d, opens: { ...d.opens }, clicks: { ...d.clicks } })),
          links: f.links.map(link),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/tracking/events',
      tags: ['tracking'],
      summary: 'The latest opens and clicks of the domain, newest first',
      security: API_KEY,
      request: {
        params: DomainParam,
        query: z.object({
          messageId: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
      responses: {
        200: response(z.object({ events: z.array(EventSchema) }), 'The events.'),
        401: error('No valid API key.'),
        404: error('No such domain for this tenant.'),
      },
    }),
    async (c) => {
      const tenantId = c.get('principal').tenantId;
      const domain = await domains.get(tenantId, c.req.valid('param').domain);
      const { messageId, limit } = c.req.valid('query');
      const events = await tracking.events(tenantId, {
        domainId: domain.id,
        limit,
        ...(messageId === undefined ? {} : { messageId }),
      });
      return c.json({ events: events.map(event) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/messages/{id}/tracking',
      tags: ['tracking'],
      summary: 'The links of one message, most clicked by people first',
      security: API_KEY,
      request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: {
        200: response(z.object({ messageId: z.string(), links: z.array(LinkSchema) }), 'The links.'),
        401: error('No valid API key.'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const links = await tracking.messageLinks(c.get('principal').tenantId, id);
      return c.json({ messageId: id, links: links.map(link) }, 200);
    },
  );
}
