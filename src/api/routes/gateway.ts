import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { SmtpCredential, SmtpCredentialService } from '../../accounts/index.ts';
import type { TraceService } from '../../gateway/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';

/** The gateway's routes: SMTP credentials (password shown once), the per-message trace, and bounces. */

const SignatureSchema = z.object({
  signingDomain: z.string(),
  selector: z.string(),
  algorithm: z.enum(['rsa-sha256', 'ed25519-sha256']),
  keyId: z.string(),
});

const MessageSchema = z
  .object({
    id: z.string().openapi({ example: 'abcdefghijklmnopqrst' }),
    senderDomain: z.string().nullable(),
    headerFrom: z.string(),
    submittedMailFrom: z.string(),
    recipients: z.array(z.object({ address: z.string(), envelopeFrom: z.string() })),
    signatures: z.array(SignatureSchema),
    signingDecision: z.string(),
    clientAddress: z.string(),
    credential: z.string().nullable(),
    size: z.number(),
    acceptedAt: z.string(),
    status: z.enum(['queued', 'delivered', 'bounced', 'partially-bounced']),
    updatedAt: z.string(),
  })
  .openapi('Message');

const AttemptSchema = z
  .object({
    recipient: z.string(),
    at: z.string(),
    status: z.enum(['delivered', 'deferred', 'bounced', 'expired']),
    code: z.number(),
    reply: z.string(),
    host: z.string(),
    tls: z.boolean(),
  })
  .openapi('DeliveryAttempt');

const CredentialSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('SmtpCredential');

const LimitQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50) });

const credentialJson = (c: SmtpCredential): z.infer<typeof CredentialSchema> => ({
  id: c.id,
  username: c.username,
  name: c.name,
  createdAt: c.createdAt,
  lastUsedAt: c.lastUsedAt,
  revokedAt: c.revokedAt,
});

export function registerGatewayRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: { smtpCredentials: SmtpCredentialService; traces: TraceService },
): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/smtp-credentials',
      tags: ['gateway'],
      summary: 'Create SMTP credentials for the submission port',
      description: 'The password is in this response only; senderd keeps a hash of it.',
      security: API_KEY,
      request: {
        body: {
          content: json(z.strictObject({ name: z.string().min(1).max(100).default('smtp') })),
          required: false,
        },
      },
      responses: {
        201: {
          description: 'Created.',
          content: json(CredentialSchema.extend({ password: z.string() })),
        },
        401: error('No valid API key.'),
      },
    }),
    async (c) => {
      const body = (c.req.valid('json') as { name?: string } | undefined) ?? {};
      const { credential, password } = await deps.smtpCredentials.create(
        c.get('principal').tenantId,
        body.name ?? 'smtp',
      );
      return c.json({ ...credentialJson(credential), password }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/smtp-credentials',
      tags: ['gateway'],
      summary: "List the tenant's SMTP credentials (never their passwords)",
      security: API_KEY,
      responses: {
        200: {
          description: 'The credentials.',
          content: json(z.object({ credentials: z.array(CredentialSchema) })),
        },
        401: error('No valid API key.'),
      },
    }),
    async (c) => {
      const list = await deps.smtpCredentials.list(c.get('principal').tenantId);
      return c.json({ credentials: list.map(credentialJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/smtp-credentials/{id}',
      tags: ['gateway'],
      summary: 'Revoke SMTP credentials at once',
      security: API_KEY,
      request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: {
        204: { description: 'Revoked.' },
        401: error('No valid API key.'),
        404: error('No such credential.'),
      },
    }),
    async (c) => {
      await deps.smtpCredentials.revoke(c.get('principal').tenantId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/messages',
      tags: ['gateway'],
      summary: 'Recent messages the gateway accepted, newest first',
      security: API_KEY,
      request: { query: LimitQuery },
      responses: {
        200: {
          description: 'Messages.',
          content: json(z.object({ messages: z.array(MessageSchema) })),
        },
        401: error('No valid API key.'),
      },
    }),
    async (c) => {
      const list = await deps.traces.messages(c.get('principal').tenantId, c.req.valid('query').limit);
      return c.json(
        {
          messages: list.map(({ tenantId: _t, domainId: _d, ...m }) => ({
            ...m,
            recipients: [...m.recipients],
            signatures: [...m.signatures],
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/messages/{id}',
      tags: ['gateway'],
      summary: "A message's trace: signing, envelope, and every delivery attempt with the remote reply",
      security: API_KEY,
      request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: {
        200: {
          description: 'The trace.',
          content: json(z.object({ message: MessageSchema, attempts: z.array(AttemptSchema) })),
        },
        401: error('No valid API key.'),
        404: error('No such message for this tenant.'),
      },
    }),
    async (c) => {
      const { message, attempts } = await deps.traces.message(
        c.get('principal').tenantId,
        c.req.valid('param').id,
      );
      const { tenantId: _t, domainId: _d, ...m } = message;
      return c.json(
        {
          message: { ...m, recipients: [...m.recipients], signatures: [...m.signatures] },
          attempts: attempts.map(({ messageId: _m, tenantId: _x, ...a }) => a),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/bounces',
      tags: ['gateway'],
      summary: 'Recent bounces: refused (5xx) or expired after retrying',
      security: API_KEY,
      request: { query: LimitQuery },
      responses: {
        200: {
          description: 'Bounces, newest first.',
          content: json(
            z.object({
              bounces: z.array(
                z.object({
                  messageId: z.string(),
                  recipient: z.string(),
                  at: z.string(),
                  reason: z.enum(['rejected', 'expired', 'dsn']),
                  code: z.number(),
                  reply: z.string(),
                  class: z.enum(['hard', 'soft', 'block', 'unknown']).openapi({
                    description:
                      'hard: no such user or domain; soft: mailbox full or temporary; block: policy, reputation or authentication (5.7.x); unknown',
                  }),
                  rule: z
                    .string()
                    .openapi({ description: 'The classifier rule that decided (docs/bounces.md).' }),
                  status: z
                    .string()
                    .nullable()
                    .openapi({ description: 'The RFC 3463 enhanced status code read.' }),
                }),
              ),
            }),
          ),
        },
        401: error('No valid API key.'),
      },
    }),
    async (c) => {
      const list = await deps.traces.bounces(c.get('principal').tenantId, c.req.valid('query').limit);
      return c.json({ bounces: list.map(({ tenantId: _t, domainId: _d, ...b }) => b) }, 200);
    },
  );
}
