import { z } from 'zod';
import { duration, port, secret } from './schema-fields.ts';

/** `events`: delivery of events to webhooks and by e-mail, with retries. */
export const eventsSection = z
  .strictObject({
    delivery: z.boolean().default(true).describe('Deliver events (webhook, e-mail) from this node.'),
    deliveryInterval: duration('5s', 'How often the delivery worker looks for due notifications.'),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(12)
      .describe('Delivery attempts per notification before it is given up.'),
    retryBase: duration('30s', 'Wait before the first retry; each further retry waits twice as long.'),
    retryMax: duration('6h', 'Longest wait between two retries.'),
    webhookTimeout: duration('10s', 'Time limit of one webhook request.'),
    allowPrivateWebhooks: z
      .boolean()
      .default(false)
      .describe(
        "Let tenants' webhooks reach private, loopback, link-local and reserved addresses. Off: a tenant cannot make senderd call into the operator's own network.",
      ),
    email: z
      .strictObject({
        enabled: z.boolean().default(false).describe('Send events by e-mail through the SMTP server below.'),
        host: z.string().default('127.0.0.1').describe('SMTP server for notification e-mail.'),
        port: port(25, 'SMTP port for notification e-mail'),
        secure: z
          .boolean()
          .default(false)
          .describe('Implicit TLS (port 465); otherwise STARTTLS when offered.'),
        user: z.string().default('').describe('SMTP user name; empty for none.'),
        password: secret(
          z.string().default('').describe('SMTP password. Secret: redacted in logs and `config show`.'),
        ),
        from: z
          .string()
          .default('')
          .describe('From address of notification e-mail. Empty means senderd@<platform.zone>.'),
      })
      .prefault({}),
  })
  .prefault({});
