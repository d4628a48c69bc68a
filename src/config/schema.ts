import { z } from 'zod';
import { checksSection } from './checks-schema.ts';
import { dashboardSection } from './dashboard-schema.ts';
import { dkimSection } from './dkim-schema.ts';
import { dnsSection } from './dns-schema.ts';
import { edgeSection } from './edge-schema.ts';
import { eventsSection } from './events-schema.ts';
import { alertsSection } from './alerts-schema.ts';
import { gatewaySection } from './gateway-schema.ts';
import { inboundSection } from './inbound-schema.ts';
import { platformSection } from './platform-schema.ts';
import { reportsSection } from './reports-schema.ts';
import { duration, listen, secret, serverAddress } from './schema-fields.ts';

/**
 * The one configuration schema. Every key has a default and a description; the reference in
 * docs/configuration.md and the commented file that `senderd init` writes are both generated from it.
 * Layers apply in this order: defaults, then the file, then `SENDERD_*` environment variables, then flags.
 * Sections of more than a few keys live in their own `*-schema.ts` file; the order of the keys here is the
 * order of the reference.
 */
export const configSchema = z.strictObject({
  dataDir: z
    .string()
    .min(1)
    .default('./data')
    .describe(
      "Directory for the SQLite database, the key-encryption key and other state. Every relative path in the config file is read from the file's own directory; one given by SENDERD_* or --set from the working directory.",
    ),

  platform: platformSection,

  http: z
    .strictObject({
      ...listen('127.0.0.1', 8080, 'HTTP (REST API and dashboard)'),
      maxBodyBytes: z
        .number()
        .int()
        .min(1024)
        .default(16_384)
        .describe(
          'Largest request body of a JSON route, in bytes; larger gets 413 before it is read (the report upload has reports.maxUploadBytes).',
        ),
      maxConnections: z
        .number()
        .int()
        .min(1)
        .default(1000)
        .describe('Connections the HTTP listener holds open at once; more get 503 and are closed.'),
      maxConnectionsPerIp: z
        .number()
        .int()
        .min(1)
        .default(64)
        .describe(
          'Connections one client (an IPv4 address or an IPv6 /64) holds open at once. Behind a reverse proxy every request comes from the proxy: raise it to maxConnections there.',
        ),
      headersTimeout: duration(
        '10s',
        'Time a client has to send the whole head of a request before it is closed.',
      ),
      maxSignInBodyBytes: z
        .number()
        .int()
        .min(512)
        .default(4096)
        .describe(
          'Largest request body of sign-in and the password routes, in bytes, checked before authentication.',
        ),
      metricsToken: secret(
        z
          .string()
          .default('')
          .describe(
            'Bearer token that GET /metrics (Prometheus text format) requires; empty: /metrics is open to whoever reaches the HTTP listener (127.0.0.1 by default). Secret: redacted in logs and `config show`.',
          ),
      ),
    })
    .prefault({}),

  dns: dnsSection,

  store: z
    .strictObject({
      driver: z.enum(['sqlite', 'postgres']).default('sqlite').describe('Which store to use.'),
      sqlitePath: z
        .string()
        .default('')
        .describe('SQLite database file. Empty means senderd.db in the data directory.'),
      postgresUrl: secret(
        z
          .string()
          .default('')
          .describe(
            'PostgreSQL connection URL, when driver is postgres. Secret: its credentials are redacted in logs and `config show`.',
          ),
        'url-credentials',
      ),
    })
    .prefault({}),

  limits: z
    .strictObject({
      descriptorReserve: z
        .number()
        .int()
        .min(16)
        .default(256)
        .describe(
          "File descriptors kept back from the listeners for the store, the spool, outgoing SMTP and webhooks. The listeners' connection maxima are shared out of the open-files limit less this; when they do not fit, each is reduced in proportion (logged at start).",
        ),
    })
    .prefault({}),

  secrets: z
    .strictObject({
      kekFile: z
        .string()
        .default('')
        .describe(
          'File holding the key-encryption key (32 random bytes, base64), mode 0600. Empty means kek.key in the data directory.',
        ),
    })
    .prefault({}),

  domains: z
    .strictObject({
      publicSuffixList: z
        .string()
        .min(1)
        .default('/usr/share/publicsuffix/public_suffix_list.dat')
        .describe(
          'Public Suffix List file (Debian package publicsuffix). Names on it cannot be sender domains.',
        ),
    })
    .prefault({}),

  dkim: dkimSection,

  dmarc: z
    .strictObject({
      scheduler: z
        .boolean()
        .default(true)
        .describe('Run the DMARC rollout calendar and autopilot on this node.'),
      tickInterval: duration(
        '1h',
        'How often the calendar and the autopilot look at every automated domain.',
      ),
    })
    .prefault({}),

  resolvers: z
    .strictObject({
      servers: z
        .array(serverAddress)
        .default(['1.1.1.1', '9.9.9.9'])
        .describe(
          "Recursive resolvers (ip or [ip]:port) through which senderd sees the DNS as receivers do: the checks' recursive view, a new DKIM key through the customer's CNAME, rua authorisation records. Empty: the system's resolvers.",
        ),
      timeout: duration('5s', 'Time limit of one lookup through these resolvers.'),
    })
    .prefault({}),

  events: eventsSection,

  alerts: alertsSection,

  checks: checksSection,

  gateway: gatewaySection,

  suppression: z
    .strictObject({
      softBounceLimit: z
        .number()
        .int()
        .min(1)
        .default(3)
        .describe(
          'Soft bounces (mailbox full, temporary failures) of one recipient that put it on the suppression list.',
        ),
      softBounceWindow: duration('7d', 'The time within which that many soft bounces suppress a recipient'),
      softBounceSuppression: duration('14d', 'How long repeated soft bounces suppress a recipient'),
      complaintRateMinimumDelivered: z
        .number()
        .int()
        .min(1)
        .default(1000)
        .describe(
          "Deliveries a sender domain's day needs before its complaint rate (complaints / delivered) counts and can raise the 0.1% and 0.3% events; below it one complaint is not a signal.",
        ),
    })
    .prefault({}),

  inbound: inboundSection,

  tracking: z
    .strictObject({
      retentionDays: z
        .number()
        .int()
        .min(1)
        .default(180)
        .describe(
          'Days an open or click event is kept; older ones are deleted by the periodic purge (one node at a time).',
        ),
      purgeInterval: duration('1h', 'How often events past the retention are deleted'),
    })
    .prefault({}),

  edge: edgeSection,

  reports: reportsSection,

  dashboard: dashboardSection,

  cluster: z
    .strictObject({
      leaseTime: duration(
        '30s',
        'How long a node holds a periodic job (DKIM rotation, the DMARC calendar, re-checks, IMAP polls, report maintenance) without renewing it; the holder renews every third of it. When a node dies, another takes its jobs over within this time; one that stops gives them back at once',
      ),
    })
    .prefault({}),

  log: z
    .strictObject({
      level: z
        .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
        .default('info')
        .describe('Log level.'),
      format: z
        .enum(['auto', 'json', 'pretty'])
        .default('auto')
        .describe('json for machines; pretty for people; auto is pretty on a terminal and json otherwise.'),
    })
    .prefault({}),
});

/** The configuration after every layer has been applied and validated. */
export type Config = z.infer<typeof configSchema>;
