import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { ALERT_KINDS, type AlertService } from '../../alerts/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';
import { DomainParam } from '../schemas.ts';

/** Alerts on change (settings per tenant) and a domain's reconciliation of sent mail against reports (issue 21). */

const AlertSettingsSchema = z
  .object({
    enabled: z.boolean(),
    disabled: z.array(z.enum(ALERT_KINDS)).openapi({ description: 'Kinds switched off one by one.' }),
    passRateDropPoints: z
      .number()
      .openapi({ description: 'A DMARC pass rate this many points below normal.' }),
    minDailyMessages: z.number().int().openapi({ description: 'Days with fewer messages are not judged.' }),
    minSourceMessages: z
      .number()
      .int()
      .openapi({ description: 'Sources with fewer messages a day are noise.' }),
    confirmDays: z.number().int().openapi({ description: 'Days in a row a condition must hold.' }),
    silentDays: z.number().int(),
    baselineDays: z.number().int(),
    digest: z.enum(['off', 'daily', 'weekly']),
  })
  .openapi('AlertSettings');

const AlertSettingsInput = z
  .strictObject({
    enabled: z.boolean().optional(),
    disabled: z.array(z.enum(ALERT_KINDS)).optional(),
    passRateDropPoints: z.number().optional(),
    minDailyMessages: z.number().int().optional(),
    minSourceMessages: z.number().int().optional(),
    confirmDays: z.number().int().optional(),
    silentDays: z.number().int().optional(),
    baselineDays: z.number().int().optional(),
    digest: z.enum(['off', 'daily', 'weekly']).optional(),
  })
  .openapi('AlertSettingsInput');

const Auth = z.object({
  messages: z.number().int(),
  pass: z.number().int(),
  fail: z.number().int(),
  failPercent: z.number(),
});
const SelectorAuth = Auth.extend({ signingDomain: z.string(), selector: z.string() });

const ReconciliationSchema = z
  .object({
    domain: z.string(),
    from: z.string(),
    to: z.string(),
    rows: z.array(
      z.object({
        day: z.string(),
        receiver: z.string().openapi({ example: 'google.com' }),
        recipientDomains: z.array(z.string()),
        reporters: z.array(z.string()),
        sent: z.number().int().openapi({ description: 'Messages the gateway delivered to this receiver.' }),
        seen: z.number().int().openapi({
          description: "Messages its reports counted from the platform's addresses as this domain.",
        }),
        coveragePercent: z.number().nullable(),
        excess: z.number().int(),
        alarm: z
          .boolean()
          .openapi({ description: 'More seen than sent, beyond the day-boundary tolerance.' }),
        dmarcPass: z.number().int(),
        dkim: z.array(SelectorAuth),
        spf: Auth,
      }),
    ),
    totals: z.object({
      sent: z.number().int(),
      seen: z.number().int(),
      coveragePercent: z.number().nullable(),
      alarms: z.number().int(),
      dkim: z.array(SelectorAuth),
      spf: Auth,
    }),
  })
  .openapi('Reconciliation');

const copy = <T>(v: unknown) => JSON.parse(JSON.stringify(v)) as T;

export function registerAlertRoutes(app: OpenAPIHono<ApiEnv>, alerts: AlertService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/alerts/settings',
      tags: ['alerts'],
      summary: "The tenant's alert settings: on/off, thresholds, the digest",
      security: API_KEY,
      responses: {
        200: { description: 'The settings (defaults until changed).', content: json(AlertSettingsSchema) },
        401: error('No valid API key.'),
      },
    }),
    async (c) =>
      c.json(
        copy<z.infer<typeof AlertSettingsSchema>>(await alerts.settings(c.get('principal').tenantId)),
        200,
      ),
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/alerts/settings',
      tags: ['alerts'],
      summary: 'Change the alert settings; fields left out keep their value',
      security: API_KEY,
      request: { body: { content: json(AlertSettingsInput), required: true } },
      responses: {
        200: { description: 'Saved.', content: json(AlertSettingsSchema) },
        422: error('Invalid settings.'),
      },
    }),
    async (c) =>
      c.json(
        copy<z.infer<typeof AlertSettingsSchema>>(
          await alerts.setSettings(c.get('principal').tenantId, c.req.valid('json')),
        ),
        200,
      ),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/reconciliation',
      tags: ['alerts'],
      summary: 'What the gateway delivered to each receiver against what its aggregate reports counted',
      description:
        "Per day and receiver: messages delivered, messages the receiver's reports counted from the platform's egress addresses with this From domain, coverage, an alarm when more was counted than sent, and our DKIM (by selector) and SPF results as the receiver saw them.",
      security: API_KEY,
      request: {
        params: DomainParam,
        query: z.object({
          days: z.coerce
            .number()
            .int()
            .min(1)
            .max(92)
            .default(14)
            .openapi({ description: 'Complete UTC days.' }),
          to: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional()
            .openapi({
              description: 'The last day (YYYY-MM-DD); default yesterday, the latest day reported.',
            }),
        }),
      },
      responses: {
        200: { description: 'The reconciliation, newest day first.', content: json(ReconciliationSchema) },
        401: error('No valid API key.'),
        404: error('No such domain.'),
      },
    }),
    async (c) => {
      const { domain } = c.req.valid('param');
      const { days, to } = c.req.valid('query');
      const r = await alerts.reconciliation(c.get('principal').tenantId, domain, days, to);
      return c.json(copy<z.infer<typeof ReconciliationSchema>>(r), 200);
    },
  );
}
