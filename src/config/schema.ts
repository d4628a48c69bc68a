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

  dns: z
    .strictObject({
      ...listen('127.0.0.1', 5353, 'DNS (authoritative server of the platform zone, UDP and TCP)'),
      port: port(
        5353,
        'UDP and TCP port of the DNS component: 53 in production (binding it needs root or CAP_NET_BIND_SERVICE)',
      ),
      secondaries: z
        .array(z.ipv4().or(z.cidrv4()).or(z.ipv6()).or(z.cidrv6()))
        .default([])
        .describe(
          'Addresses or CIDR ranges allowed to transfer the zone (AXFR/IXFR over TCP, RFC 5936); everyone else is refused.',
        ),
      notify: z
        .array(z.string().min(1))
        .default([])
        .describe(
          'Secondaries sent a NOTIFY (RFC 1996) whenever the zone changes: "192.0.2.1", "192.0.2.1:5300" or "[2001:db8::1]:53".',
        ),
      soaPrimary: z
        .string()
        .default('')
        .describe(
          'SOA MNAME, the primary name server: relative to the zone or absolute with a trailing dot. Empty means the first of platform.nameservers.',
        ),
      hostmaster: z
        .string()
        .default('')
        .describe('SOA RNAME as an e-mail address. Empty means hostmaster@<zone>.'),
      soaTtl: z.number().int().min(0).max(86400).default(3600).describe('TTL of the SOA record, in seconds.'),
      soaRefresh: z
        .number()
        .int()
        .min(60)
        .default(3600)
        .describe(
          'SOA REFRESH: how often secondaries check the serial, in seconds (NOTIFY makes them sooner).',
        ),
      soaRetry: z
        .number()
        .int()
        .min(10)
        .default(600)
        .describe('SOA RETRY: seconds between failed refreshes.'),
      soaExpire: z
        .number()
        .int()
        .min(3600)
        .default(1209600)
        .describe('SOA EXPIRE: seconds a secondary keeps answering without reaching this server.'),
      negativeTtl: z
        .number()
        .int()
        .min(0)
        .max(86400)
        .default(300)
        .describe('SOA MINIMUM: how long resolvers cache NXDOMAIN and NODATA (RFC 2308 §4), in seconds.'),
      aliases: z
        .record(z.string(), z.string().min(1))
        .default({})
        .describe(
          'CNAME records inside the zone, by label: {"track": "cdn.example.com."}. Targets are absolute with a trailing dot, or relative to the zone.',
        ),
      ednsPayloadSize: z
        .number()
        .int()
        .min(512)
        .max(4096)
        .default(1232)
        .describe(
          'Largest UDP answer sent, advertised in EDNS (RFC 6891); 1232 avoids IP fragmentation. Bigger answers set TC=1.',
        ),
      tcpIdleTimeoutMs: z
        .number()
        .int()
        .min(100)
        .default(10000)
        .describe('Close a TCP connection after this long without a query (RFC 7766 §6.2.3).'),
      tcpMaxConnections: z.number().int().min(1).default(1000).describe('Most TCP connections at once.'),
      workers: z
        .number()
        .int()
        .min(0)
        .max(64)
        .default(0)
        .describe(
          'UDP worker threads, each with its own SO_REUSEPORT socket. 0 answers UDP on the main thread.',
        ),
      pollIntervalMs: z
        .number()
        .int()
        .min(50)
        .max(5000)
        .default(200)
        .describe('How often the change log is read; a change is served within about this long.'),
      resyncIntervalSeconds: z
        .number()
        .int()
        .min(10)
        .default(600)
        .describe('Recompute the whole zone this often, as a safety net beside the change log.'),
      rateLimit: z
        .boolean()
        .default(false)
        .describe(
          'Per-client response rate limiting over UDP (drops, with every rateLimitSlip-th answer truncated).',
        ),
      rateLimitResponses: z
        .number()
        .int()
        .min(1)
        .default(20)
        .describe('Answers per second per client network before rate limiting starts.'),
      rateLimitSlip: z
        .number()
        .int()
        .min(0)
        .max(10)
        .default(2)
        .describe(
          'Every n-th limited answer is sent truncated (TC=1) so real clients retry over TCP; 0 drops all.',
        ),
      rateLimitIpv4Prefix: z
        .number()
        .int()
        .min(8)
        .max(32)
        .default(24)
        .describe('IPv4 prefix length that makes one client network for rate limiting.'),
      rateLimitIpv6Prefix: z
        .number()
        .int()
        .min(16)
        .max(128)
        .default(56)
        .describe('IPv6 prefix length that makes one client network for rate limiting.'),
    })
    .prefault({}),

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
