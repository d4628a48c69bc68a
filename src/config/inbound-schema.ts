import { z } from 'zod';
import { listen } from './schema-fields.ts';

/** `inbound`: the SMTP listener that is the MX of the reports and bounce hosts. */
export const inboundSection = z
  .strictObject({
    ...listen('127.0.0.1', 2526, 'inbound SMTP (MX of the reports and bounce hosts)'),
    hostname: z
      .string()
      .default('')
      .describe('Name in the SMTP greeting. Empty means the mx host of the platform zone (mx.<zone>).'),
    maxMessageBytes: z
      .number()
      .int()
      .min(1024)
      .default(50 * 1024 * 1024)
      .describe('Largest message accepted (advertised as SIZE, RFC 1870); larger ones get 552.'),
    maxRecipients: z.number().int().min(1).default(50).describe('Recipients per message.'),
    maxConnections: z
      .number()
      .int()
      .min(1)
      .default(200)
      .describe('Simultaneous SMTP connections; more get 421 before the greeting.'),
    maxConnectionsPerIp: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Simultaneous SMTP connections from one client (an IPv4 address or an IPv6 /64).'),
    socketTimeoutSeconds: z
      .number()
      .int()
      .min(5)
      .default(120)
      .describe('Idle time before a connection is closed.'),
    tlsKeyFile: z
      .string()
      .default('')
      .describe('PEM private key for STARTTLS. With tlsCertFile; both empty means no STARTTLS.'),
    tlsCertFile: z.string().default('').describe('PEM certificate chain for STARTTLS.'),
    postmasterMaildir: z
      .string()
      .default('')
      .describe(
        'Maildir that keeps mail to postmaster (RFC 5321 §4.5.1) at the reports, mx and bounce hosts and the zone, and to a bare <Postmaster>. Empty means <dataDir>/postmaster. Read it with any Maildir reader (mutt -f).',
      ),
    postmasterQuotaBytes: z
      .number()
      .int()
      .min(1024)
      .default(100 * 1024 * 1024)
      .describe(
        'Bytes the postmaster Maildir (new/ and cur/) may hold. Anyone may write to postmaster: past the quota mail gets 452 4.2.2 and the sender tries later. Read and remove the mail to make room.',
      ),
    postmasterMaxMessageBytes: z
      .number()
      .int()
      .min(1024)
      .default(10 * 1024 * 1024)
      .describe('Largest message kept for postmaster; larger ones get 552 5.3.4.'),
    feedbackLocalPart: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/)
      .default('fbl')
      .describe(
        "Local part of the feedback (complaint) address: ARF reports (RFC 5965) sent to <this>@<reports host>, @<mx host> or @<platform bounce domain> are complaints. Register one of them with the receivers' feedback loops (Yahoo CFL, Microsoft JMRP).",
      ),
  })
  .prefault({});
