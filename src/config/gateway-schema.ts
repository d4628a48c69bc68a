import { z } from 'zod';
import { port, secret } from './schema-fields.ts';

/** `gateway`: the signing SMTP gateway, its listeners, limits, spool, delivery and retries. */
export const gatewaySection = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Run the signing SMTP gateway on this node.'),
    host: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('Address the SMTP listeners bind to (0.0.0.0 or :: to take mail from other hosts).'),
    hostname: z
      .string()
      .default('')
      .describe('Our host name in the banner, EHLO and Received fields. Empty means mx.<zone>.'),
    submission: z
      .strictObject({
        port: port(2587, 'Submission port with STARTTLS and AUTH; 587 in production (RFC 6409)'),
      })
      .prefault({}),
    implicitTls: z
      .strictObject({
        enabled: z.boolean().default(false).describe('Also offer submission over implicit TLS (RFC 8314).'),
        port: port(2465, 'Implicit-TLS submission port; 465 in production'),
      })
      .prefault({}),
    relay: z
      .strictObject({
        enabled: z
          .boolean()
          .default(false)
          .describe('Run the relay port, which takes mail without AUTH from the listed networks only.'),
        port: port(2525, 'Relay port for allow-listed networks; 25 in production'),
        networks: z
          .array(
            z.strictObject({
              cidr: z.cidrv4().or(z.cidrv6()).or(z.ipv4()).or(z.ipv6()),
              tenant: z.string().min(1),
            }),
          )
          .default([])
          .describe(
            'Networks allowed to relay, each with the tenant its mail belongs to: [{"cidr":"10.0.0.0/8","tenant":"acme"}].',
          ),
      })
      .prefault({}),
    tls: z
      .strictObject({
        certFile: z.string().default('').describe('PEM certificate (chain) for STARTTLS and implicit TLS.'),
        keyFile: z
          .string()
          .default('')
          .describe(
            'PEM private key. With either file empty, a self-signed certificate is made in the data directory (development only).',
          ),
      })
      .prefault({}),
    limits: z
      .strictObject({
        maxMessageBytes: z
          .number()
          .int()
          .min(1024)
          .default(26_214_400)
          .describe('Largest message accepted, in bytes (advertised with SIZE, RFC 1870).'),
        maxRecipients: z
          .number()
          .int()
          .min(1)
          .default(100)
          .describe('Recipients per transaction (RFC 5321 §4.5.3.1.8 requires at least 100).'),
        maxConnections: z.number().int().min(1).default(1000).describe('Connections per listener.'),
        maxConnectionsPerIp: z
          .number()
          .int()
          .min(1)
          .default(50)
          .describe(
            'Open connections per client (an IPv4 address or an IPv6 /64) on each listener; more get 421 before the greeting.',
          ),
        maxAuthFailures: z
          .number()
          .int()
          .min(1)
          .default(10)
          .describe('Failed AUTH attempts per client address in the window before it is shut out.'),
        authFailureWindowSeconds: z
          .number()
          .int()
          .min(1)
          .default(600)
          .describe('The window for maxAuthFailures, in seconds.'),
        idleTimeoutSeconds: z
          .number()
          .int()
          .min(1)
          .default(300)
          .describe('An idle SMTP connection is closed after this many seconds (RFC 5321 §4.5.3.2.7).'),
      })
      .prefault({}),
    signing: z
      .strictObject({
        unmatched: z
          .enum(['unsigned', 'platform'])
          .default('unsigned')
          .describe(
            'Mail whose From domain matches no verified sender domain: leave it unsigned, or sign it as platformDomain.',
          ),
        platformDomain: z
          .string()
          .default('')
          .describe(
            "A verified sender domain (of the operator's tenant) whose keys sign unmatched mail when unmatched is platform.",
          ),
      })
      .prefault({}),
    bounceDomain: z
      .string()
      .default('')
      .describe(
        'Envelope (return-path) domain for mail of unverified or unmatched domains. Empty means bounce.<zone>; it needs MX and SPF records. Put it in a registrable domain never used for authors: mail from its organisational domain is refused unless the From domain is a verified sender domain of the submitting tenant.',
      ),
    spool: z
      .strictObject({
        dir: z.string().default('').describe('Spool directory. Empty means spool/ in the data directory.'),
        segmentMiB: z
          .number()
          .int()
          .min(1)
          .default(64)
          .describe('Size of a spool segment file before the next one starts, in MiB.'),
      })
      .prefault({}),
    trace: z
      .strictObject({
        flushSeconds: z
          .number()
          .min(0.01)
          .max(60)
          .default(0.2)
          .describe(
            "How often the message trace's delivery attempts, statuses and bounces are written to the store, in seconds.",
          ),
        messageRowSeconds: z
          .number()
          .min(0.001)
          .max(60)
          .default(0.02)
          .describe(
            "How long a new message's trace row waits for others to share its write, in seconds. The message's first delivery attempt waits for that write, so a DSN, complaint or unsubscribe that comes back at once finds it.",
          ),
      })
      .prefault({}),
    delivery: z
      .strictObject({
        mode: z
          .enum(['mx', 'smarthost'])
          .default('mx')
          .describe(
            'mx: look up each recipient domain (RFC 5321 §5.1); smarthost: relay everything through one host.',
          ),
        mxPort: port(25, 'Port of the MX hosts in mx mode (25; tests use another)'),
        allowPrivateDestinations: z
          .boolean()
          .default(false)
          .describe(
            'In mx mode, also deliver to MX hosts on private, loopback, link-local or reserved addresses. Off: a recipient domain whose MX points into the operator network (or back at senderd) gets a permanent failure.',
          ),
        resolvers: z
          .array(z.ipv4().or(z.ipv6()))
          .default([])
          .describe('DNS servers for MX lookups; empty means the system resolver.'),
        concurrencyPerDestination: z
          .number()
          .int()
          .min(1)
          .default(10)
          .describe('Connections per destination (recipient domain, or the smarthost).'),
        connectTimeoutSeconds: z.number().min(0.1).default(30).describe('Connection timeout, in seconds.'),
        commandTimeoutSeconds: z
          .number()
          .min(0.1)
          .default(300)
          .describe('Timeout for each SMTP reply, in seconds (RFC 5321 §4.5.3.2).'),
        smarthost: z
          .strictObject({
            host: z.string().default('').describe('Smarthost name or address.'),
            port: port(587, 'Smarthost port'),
            tls: z
              .enum(['starttls', 'implicit', 'opportunistic', 'none'])
              .default('starttls')
              .describe('starttls and implicit verify the certificate; opportunistic does not.'),
            username: z.string().default('').describe('AUTH PLAIN user name; empty for no AUTH.'),
            password: secret(
              z
                .string()
                .default('')
                .describe('AUTH PLAIN password. Secret: redacted in logs and `config show`.'),
            ),
          })
          .prefault({}),
      })
      .prefault({}),
    retry: z
      .strictObject({
        firstDelaySeconds: z
          .number()
          .min(0.01)
          .default(300)
          .describe('Delay before the first retry after a 4xx, in seconds.'),
        factor: z.number().min(1).default(2).describe('Each further delay is this many times the last.'),
        maxDelaySeconds: z
          .number()
          .min(0.01)
          .default(14_400)
          .describe('Longest delay between attempts, in seconds.'),
        expireDays: z
          .number()
          .positive()
          .default(5)
          .describe('Days to keep retrying before the message bounces (RFC 5321 §4.5.4.1: 4–5 days).'),
      })
      .prefault({}),
  })
  .prefault({});
