import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Delivery, EventService } from '../../events/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';
import { ErrorSchema } from '../schemas.ts';

const EventSchema = z
  .object({
    id: z.string(),
    type: z.string().openapi({ example: 'dkim.key.activated' }),
    severity: z.enum(['info', 'warning', 'critical']),
    at: z.string(),
    domainId: z.string().nullable(),
    message: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('Event');

const NotificationSchema = z
  .object({
    webhookUrl: z.string().nullable(),
    webhookSecretSet: z.boolean(),
    emailTo: z.array(z.string()),
    minSeverity: z.enum(['info', 'warning', 'critical']),
    webhookSecret: z
      .string()
      .optional()
      .openapi({ description: 'Only in the answer that created it: store it now.' }),
  })
  .openapi('Notifications');

const DeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string().openapi({ example: 'notifications.test' }),
    channel: z.enum(['webhook', 'email']),
    target: z
      .string()
      .openapi({ description: 'The webhook URL, or the e-mail recipients separated by commas.' }),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastError: z.string().nullable().openapi({ description: 'Why the last attempt failed, if it did.' }),
    nextAttemptAt: z.string(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Delivery');

const deliveryJson = (d: Delivery, eventType: string): z.infer<typeof DeliverySchema> => ({
  id: d.id,
  eventId: d.eventId,
  eventType,
  channel: d.channel,
  target: d.target,
  status: d.status,
  attempts: d.attempts,
  lastError: d.lastError,
  nextAttemptAt: d.nextAttemptAt,
  deliveredAt: d.deliveredAt,
  createdAt: d.createdAt,
});

export function registerEventRoutes(app: OpenAPIHono<ApiEnv>, events: EventService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/events',
      tags: ['events'],
      summary: "The tenant's events, newest first",
      security: API_KEY,
      request: {
        query: z.object({
          since: z.string().optional().openapi({ description: 'Only events at or after this ISO time.' }),
          type: z
            .string()
            .optional()
            .openapi({ description: 'A type or a prefix: dkim.key matches dkim.key.*.' }),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
      responses: {
        200: { description: 'The events.', content: json(z.object({ events: z.array(EventSchema) })) },
        401: { description: 'No valid API key.', content: json(ErrorSchema) },
      },
    }),
    async (c) => {
      const { since, type, limit } = c.req.valid('query');
      const list = await events.list(c.get('principal').tenantId, {
        ...(since !== undefined ? { since } : {}),
        ...(type !== undefined ? { type } : {}),
        limit,
      });
      return c.json({ events: list.map(({ tenantId: _t, ...e }) => ({ ...e, data: { ...e.data } })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/notifications',
      tags: ['events'],
      summary: 'Where events are delivered',
      security: API_KEY,
      responses: {
        200: {
          description: 'The settings (the webhook secret is never shown).',
          content: json(NotificationSchema),
        },
      },
    }),
    async (c) => {
      const v = await events.notifications(c.get('principal').tenantId);
      return c.json({ ...v, emailTo: [...v.emailTo] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/notifications',
      tags: ['events'],
      summary: 'Set the webhook URL, e-mail recipients and minimum severity',
      description:
        'A webhook secret is drawn when a URL is first set (or with rotateSecret) and returned in this answer only. Each delivery carries `Senderd-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.',
      security: API_KEY,
      request: {
        body: {
          content: json(
            z.strictObject({
              webhookUrl: z.string().nullable().optional(),
              emailTo: z.array(z.string()).optional(),
              minSeverity: z.enum(['info', 'warning', 'critical']).optional(),
              rotateSecret: z.boolean().optional(),
            }),
          ),
          required: true,
        },
      },
      responses: {
        200: { description: 'Saved.', content: json(NotificationSchema) },
        422: { description: 'Invalid settings.', content: json(ErrorSchema) },
      },
    }),
    async (c) => {
      const v = await events.setNotifications(c.get('principal').tenantId, c.req.valid('json'));
      return c.json({ ...v, emailTo: [...v.emailTo] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/notifications/test',
      tags: ['events'],
      summary: 'Send a test event to the webhook and e-mail recipients now',
      description:
        'A `notifications.test` event is stored and queued for every channel, whatever the minimum severity. The deliveries start pending; `GET /v1/notifications/deliveries` shows how they went.',
      security: API_KEY,
      responses: {
        202: {
          description: 'Queued.',
          content: json(z.object({ event: EventSchema, deliveries: z.array(DeliverySchema) })),
        },
        401: error('No valid API key.'),
        422: error('No webhook URL and no e-mail recipient is set.'),
      },
    }),
    async (c) => {
      const { event, deliveries } = await events.sendTest(c.get('principal').tenantId);
      const { tenantId: _t, ...e } = event;
      return c.json(
        { event: { ...e, data: { ...e.data } }, deliveries: deliveries.map((d) => deliveryJson(d, e.type)) },
        202,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/notifications/deliveries',
      tags: ['events'],
      summary: "The tenant's latest notification deliveries, newest first, with their status",
      security: API_KEY,
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }) },
      responses: {
        200: {
          description: 'The deliveries.',
          content: json(z.object({ deliveries: z.array(DeliverySchema) })),
        },
        401: error('No valid API key.'),
      },
    }),
    async (c) => {
      const list = await events.recentDeliveries(c.get('principal').tenantId, c.req.valid('query').limit);
      return c.json({ deliveries: list.map((d) => deliveryJson(d, d.eventType)) }, 200);
    },
  );
}
