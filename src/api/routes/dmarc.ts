import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { dmarcPolicyInput, LAST_STEP, type DmarcService } from '../../dmarc/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';
import { DomainParam } from '../schemas.ts';

const disposition = z.enum(['none', 'quarantine', 'reject']);

const StepSchema = z
  .object({
    index: z.number(),
    p: disposition,
    percent: z.number(),
    pct: z.number().optional(),
    t: z.enum(['y', 'n']).optional(),
    label: z.string().openapi({ example: 'quarantine 5%' }),
  })
  .openapi('DmarcStep');

const ReadingSchema = z
  .object({ published: disposition, applied: disposition, percent: z.number(), testMode: z.boolean() })
  .nullable();

const CheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  value: z.number(),
  threshold: z.number(),
  explanation: z.string(),
});

const DecisionSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.enum(['user', 'schedule', 'autopilot']),
    action: z.enum(['advance', 'hold', 'rollback', 'set', 'idle']),
    fromStep: z.number(),
    toStep: z.number(),
    reason: z.string(),
    checks: z.array(CheckSchema),
  })
  .openapi('DmarcDecision');

const DmarcViewSchema = z
  .object({
    domain: z.string(),
    step: StepSchema,
    record: z.string().openapi({ description: 'The _dmarc record published now.' }),
    readings: z.object({
      rfc7489: ReadingSchema.openapi({ description: 'What an RFC 7489 receiver applies (pct sampling).' }),
      rfc9989: ReadingSchema.openapi({ description: 'What an RFC 9989 receiver applies (t= test mode).' }),
    }),
    policy: z.object({
      step: z.number(),
      sp: disposition.optional(),
      np: disposition.optional(),
      adkim: z.enum(['r', 's']),
      aspf: z.enum(['r', 's']),
      fo: z.enum(['0', '1', 'd', 's']).optional(),
      extraRua: z.array(z.string()),
      ruf: z.array(z.string()),
      bimi: z.object({ location: z.string(), authority: z.string().optional() }).optional(),
    }),
    bimi: z.object({ configured: z.boolean(), published: z.boolean(), record: z.string().nullable() }),
    autopilot: z.record(z.string(), z.unknown()),
    schedule: z.array(z.object({ at: z.string(), step: z.number() })),
    ladder: z.array(StepSchema),
    decisions: z.array(DecisionSchema),
  })
  .openapi('DmarcPolicyView');

const Treatment = z.object({ none: z.number(), quarantine: z.number(), reject: z.number() });
const ImpactSchema = z
  .object({
    step: z.number(),
    label: z.string(),
    from: z.string(),
    to: z.string(),
    messages: z.number(),
    failing: z.number(),
    rfc7489: Treatment,
    rfc9989: Treatment,
    reportsAvailable: z.boolean(),
    sources: z.array(
      z.object({
        ip: z.string(),
        class: z.enum(['platform', 'forwarder', 'unknown']),
        reverseName: z.string().nullable(),
        failing: z.number(),
        rfc7489: Treatment,
        rfc9989: Treatment,
      }),
    ),
  })
  .openapi('DmarcImpact');

const StepInput = z
  .strictObject({
    to: z.union([z.number().int().min(0).max(LAST_STEP), z.enum(['forward', 'back'])]),
    reason: z.string().max(500).optional(),
    force: z.boolean().optional().openapi({
      description:
        'Step up although it is several steps at once, legitimate-looking mail failed DMARC in the last 14 days, or the domain is not verified. Without it such a step is refused with 409 confirmation_required, each reason in details.',
    }),
  })
  .openapi('DmarcStepInput');

/** The view as plain JSON (the service's objects are deeply readonly). */
const view = (v: unknown) => JSON.parse(JSON.stringify(v)) as z.infer<typeof DmarcViewSchema>;

export function registerDmarcRoutes(app: OpenAPIHono<ApiEnv>, dmarc: DmarcService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/dmarc',
      tags: ['dmarc'],
      summary: 'The DMARC policy: step, published record, both readings, autopilot, calendar, decisions',
      security: API_KEY,
      request: { params: DomainParam },
      responses: {
        200: { description: 'The policy.', content: json(DmarcViewSchema) },
        401: error('No valid API key.'),
        404: error('No such domain.'),
      },
    }),
    async (c) =>
      c.json(view(await dmarc.show(c.get('principal').tenantId, c.req.valid('param').domain)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/domains/{domain}/dmarc',
      tags: ['dmarc'],
      summary: 'Change DMARC options, the autopilot or the calendar',
      description:
        'Third-party rua addresses are published only after their domain authorises them (RFC 7489 §7.1).',
      security: API_KEY,
      request: {
        params: DomainParam,
        body: {
          content: json(z.object({ ...dmarcPolicyInput.shape }).openapi('DmarcPolicyInput')),
          required: true,
        },
      },
      responses: {
        200: { description: 'The policy.', content: json(DmarcViewSchema) },
        401: error('No valid API key.'),
        404: error('No such domain.'),
        422: error('Invalid, or a report address is not authorised.'),
        503: error('The authorisation lookup failed; try again.'),
      },
    }),
    async (c) =>
      c.json(
        view(
          await dmarc.update(c.get('principal').tenantId, c.req.valid('param').domain, c.req.valid('json')),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/domains/{domain}/dmarc/step',
      tags: ['dmarc'],
      summary: 'Step the ladder by hand: to a step (0–12), forward or back',
      security: API_KEY,
      request: { params: DomainParam, body: { content: json(StepInput), required: true } },
      responses: {
        200: {
          description: 'The policy after the step; the hosted record changes at once.',
          content: json(DmarcViewSchema),
        },
        401: error('No valid API key.'),
        404: error('No such domain.'),
        409: error('A risky step up without "force": the details say why (confirmation_required).'),
        422: error('No such step.'),
      },
    }),
    async (c) => {
      const { to, reason, force } = c.req.valid('json');
      return c.json(
        view(
          await dmarc.step(
            c.get('principal').tenantId,
            c.req.valid('param').domain,
            to,
            reason,
            force === true,
          ),
        ),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{domain}/dmarc/impact',
      tags: ['dmarc'],
      summary:
        'Impact of policy: what a step would have done to the failing mail of the last days, by source',
      security: API_KEY,
      request: {
        params: DomainParam,
        query: z.object({
          days: z.coerce.number().int().min(1).max(90).default(14),
          step: z.coerce
            .number()
            .int()
            .min(0)
            .max(LAST_STEP)
            .optional()
            .openapi({ description: 'Default: the next step.' }),
        }),
      },
      responses: {
        200: { description: 'The impact.', content: json(ImpactSchema) },
        401: error('No valid API key.'),
        404: error('No such domain.'),
      },
    }),
    async (c) => {
      const { days, step } = c.req.valid('query');
      const impact = await dmarc.impact(c.get('principal').tenantId, c.req.valid('param').domain, days, step);
      return c.json({ ...impact, sources: [...impact.sources] }, 200);
    },
  );
}
