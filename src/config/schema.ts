import { z } from 'zod';

/**
 * The one configuration schema. Every key has a default and a description; the reference in
 * docs/configuration.md and the commented file that `senderd init` writes are both generated from it.
 * Layers apply in this order: defaults, then the file, then `SENDERD_*` environment variables, then flags.
 */

const port = (value: number, what: string) =>
  z.number().int().min(0).max(65535).default(value).describe(`${what} (0 picks a free port).`);

const label = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be one DNS label: a-z, 0-9 and inner hyphens');

const listen = (host: string, portValue: number, what: string) => ({
  enabled: z.boolean().default(true).describe(`Run the ${what} component on this node.`),
  host: z.string().min(1).default(host).describe(`Address the ${what} component listens on.`),
  port: port(portValue, `Port of the ${what} component`),
});

export const configSchema = z.strictObject({
  dataDir: z
    .string()
    .min(1)
    .default('./data')
    .describe(
      'Directory for the SQLite database, the key-encryption key and other state. Relative to the working directory.',
    ),

  platform: z
    .strictObject({
      zone: z
        .string()
        .min(1)
        .default('mail.example.net')
        .describe('The platform zone Z, delegated to senderd by NS records. Hosted records live under it.'),
      nameservers: z
        .array(z.string().min(1))
        .min(1)
        .default(['ns1', 'ns2'])
        .describe('NS names of the zone: relative to the zone, or absolute with a trailing dot.'),
      hostAddresses: z
        .record(z.string(), z.array(z.ipv4().or(z.ipv6())))
        .default({ ns1: ['127.0.0.1'], ns2: ['127.0.0.1'], mx: ['127.0.0.1'], track: ['127.0.0.1'] })
        .describe('A/AAAA records of platform hosts inside the zone, by label (ns1, mx, track, ...).'),
      egressIps: z
        .array(z.ipv4().or(z.cidrv4()).or(z.ipv6()).or(z.cidrv6()))
        .default(['127.0.0.1'])
        .describe(
          'Addresses (or CIDR ranges) the platform sends mail from. Published in the spf.<zone> record.',
        ),
      mxLabel: label
        .default('mx')
        .describe('Label of the inbound mail host (mx.<zone>): MX of bounce and report hosts.'),
      trackLabel: label.default('track').describe('Label of the click/open tracking host (track.<zone>).'),
      reportsLabel: label
        .default('reports')
        .describe(
          'Label of the DMARC report host (reports.<zone>); rua addresses are <token>@reports.<zone>.',
        ),
      dkimSelectors: z
        .array(label)
        .length(3)
        .default(['sd1', 'sd2', 'sd3'])
        .describe('The three DKIM selectors every sender domain gets, so rotation never needs a DNS edit.'),
      bounceLabel: label
        .default('bounce')
        .describe("Default label of a sender domain's bounce (return-path) host."),
      clickLabel: label.default('clicks').describe("Default label of a sender domain's click-tracking host."),
      ttl: z
        .number()
        .int()
        .min(60)
        .max(86400)
        .default(3600)
        .describe('TTL of the records in the plan and in the zone, in seconds.'),
    })
    .prefault({}),

  http: z.strictObject(listen('127.0.0.1', 8080, 'HTTP (REST API and dashboard)')).prefault({}),

  store: z
    .strictObject({
      driver: z.enum(['sqlite', 'postgres']).default('sqlite').describe('Which store to use.'),
      sqlitePath: z
        .string()
        .default('')
        .describe('SQLite database file. Empty means senderd.db in the data directory.'),
      postgresUrl: z
        .string()
        .default('')
        .describe('PostgreSQL connection URL, when driver is postgres. Secret: redacted in logs.'),
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

  inbound: z
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
      maxConnections: z.number().int().min(1).default(100).describe('Simultaneous SMTP connections.'),
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
    })
    .prefault({}),

  reports: z
    .strictObject({
      maxDecompressedBytes: z
        .number()
        .int()
        .min(1024)
        .default(1024 * 1024 * 1024)
        .describe('Bytes one input may expand to, over all its archives and parts.'),
      maxCompressionRatio: z
        .number()
        .min(2)
        .default(200)
        .describe(
          'Largest output:input ratio of one gzip or zip member, checked past its first MiB (bomb guard).',
        ),
      maxRecords: z.number().int().min(1).default(10_000_000).describe('Records of one aggregate report.'),
      maxParts: z.number().int().min(1).default(200).describe('Zip entries plus MIME parts of one input.'),
      maxZipBytes: z
        .number()
        .int()
        .min(1024)
        .default(64 * 1024 * 1024)
        .describe('Largest zip archive (zips are read from their central directory, in memory).'),
      maxJsonBytes: z
        .number()
        .int()
        .min(1024)
        .default(16 * 1024 * 1024)
        .describe('Largest TLS-RPT JSON document.'),
      maxRawKeptBytes: z
        .number()
        .int()
        .min(0)
        .default(16 * 1024 * 1024)
        .describe('Raw bytes kept (gzip-compressed) of a quarantined input, from its start.'),
      maxUploadBytes: z
        .number()
        .int()
        .min(1024)
        .default(100 * 1024 * 1024)
        .describe('Largest body of POST /v1/reports/upload.'),
      failureRetentionDays: z
        .number()
        .int()
        .min(1)
        .default(30)
        .describe('Days a (redacted) failure report is kept.'),
      lateAfterHours: z
        .number()
        .int()
        .min(1)
        .default(72)
        .describe('A report arriving this long after the end of its date range counts as late.'),
      silentAfterDays: z
        .number()
        .int()
        .min(1)
        .default(3)
        .describe('A reporter with no report for this many days is shown as gone silent.'),
      knownForwarders: z
        .array(z.string().min(1))
        .default(['google.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'messagingengine.com', 'pobox.com'])
        .describe(
          'Known forwarders: address ranges (CIDR) or domains whose forward-confirmed reverse names mark a source as a forwarder.',
        ),
      reverseDns: z
        .strictObject({
          enabled: z.boolean().default(true).describe('Look up reverse names of report sources.'),
          servers: z
            .array(z.string().min(1))
            .default([])
            .describe('Resolvers to ask (ip or ip:port). Empty means the system resolvers.'),
          timeoutMs: z.number().int().min(100).default(3000).describe('Timeout of one lookup.'),
          refreshDays: z.number().int().min(1).default(7).describe('Days before a name is looked up again.'),
        })
        .prefault({}),
      imap: z
        .array(
          z.strictObject({
            host: z.string().min(1),
            port: z.number().int().min(1).max(65535).default(993),
            secure: z.boolean().default(true),
            user: z.string().min(1),
            passwordFile: z.string().min(1),
            mailbox: z.string().min(1).default('INBOX'),
            tenant: z.string().min(1).optional(),
            intervalSeconds: z.number().int().min(1).default(300),
            afterImport: z.enum(['flag', 'delete', 'move']).default('flag'),
            moveTo: z.string().min(1).default('senderd-done'),
          }),
        )
        .default([])
        .describe(
          'Existing mailboxes to poll for reports: {host, port, secure, user, passwordFile, mailbox, tenant, intervalSeconds, afterImport: flag|delete|move, moveTo}.',
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
