import { z } from '@hono/zod-openapi';
import { domainSettingsInput, RECORD_FORMATS } from '../domains/index.ts';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found', description: 'Stable, machine-readable error code.' }),
      message: z.string().openapi({ description: 'A sentence for a person.' }),
      details: z.array(
        z.object({ path: z.string().optional(), message: z.string(), reason: z.string().optional() }),
      ),
      requestId: z
        .string()
        .openapi({ description: 'Quote this when asking for help; it is in the server log.' }),
    }),
  })
  .openapi('Error');

export const DomainSettingsSchema = z
  .object({
    mode: z.enum(['delegated', 'self-hosted']),
    bounceLabel: z.string(),
    clickLabel: z.string(),
    tracking: z.boolean(),
    spfMechanisms: z.array(z.string()),
    dkimSelectors: z.array(z.string()),
    ownDkimSelectors: z.array(z.object({ selector: z.string(), record: z.string().optional() })),
    sending: z
      .object({
        clicks: z.boolean(),
        opens: z.boolean(),
        bulk: z.boolean(),
        feedbackId: z.string().nullable(),
      })
      .optional()
      .openapi({
        description:
          'Click and open tracking, bulk stream (RFC 8058 List-Unsubscribe), Feedback-ID parts; absent: all off.',
      }),
  })
  .openapi('DomainSettings');

export const DomainSchema = z
  .object({
    name: z.string().openapi({ example: 'newsletter.example.com' }),
    token: z.string().openapi({ example: 'k3j5q2m7x4ab' }),
    settings: DomainSettingsSchema,
    verified: z.boolean(),
    verifiedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Domain');

// The settings schema lives with the domains capability (plain zod); it is re-wrapped here for the OpenAPI registry.
export const DomainCreateSchema = z
  .strictObject({
    name: z.string().openapi({ example: 'newsletter.example.com', description: 'Unicode or A-labels.' }),
    ...domainSettingsInput.shape,
  })
  .openapi('DomainCreate');

export const DomainUpdateSchema = z.strictObject({ ...domainSettingsInput.shape }).openapi('DomainUpdate');

const PlannedRecordSchema = z
  .object({
    name: z.string(),
    host: z
      .string()
      .openapi({ description: 'The name relative to the zone the customer edits; @ for its apex.' }),
    type: z.enum(['CNAME', 'TXT', 'MX', 'A', 'AAAA']),
    value: z.string(),
    ttl: z.number(),
    required: z.boolean(),
    purpose: z.string(),
    note: z.string(),
  })
  .openapi('PlannedRecord');

export const RecordPlanSchema = z
  .object({
    domain: z.string(),
    mode: z.enum(['delegated', 'self-hosted']),
    token: z.string(),
    zone: z
      .string()
      .openapi({ description: 'The zone the customer most likely edits (the registrable domain).' }),
    customer: z.array(PlannedRecordSchema),
    keptSelectors: z.array(z.string()).openapi({ description: 'Your own DKIM selectors, left as they are.' }),
    hosted: z.array(PlannedRecordSchema.omit({ host: true })),
  })
  .openapi('RecordPlan');

export const RecordFormatQuery = z.object({
  format: z
    .enum(RECORD_FORMATS)
    .default('json')
    .openapi({ description: 'json, bind (zone snippet), csv or table.' }),
  hosted: z
    .enum(['true', 'false'])
    .default('false')
    .openapi({ description: 'Also list the records senderd hosts (bind, csv, table).' }),
});

export const DomainParam = z.object({
  domain: z.string().openapi({ param: { name: 'domain', in: 'path' }, example: 'example.com' }),
});
