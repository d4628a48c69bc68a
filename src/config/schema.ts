import { z } from 'zod';
import { normaliseDomainName } from '../domain-name/index.ts';
import { DURATION_PATTERN } from '../core/index.ts';
import { parseServerAddress } from '../resolver/index.ts';

/**
 * The one configuration schema. Every key has a default and a description; the reference in
 * docs/configuration.md and the commented file that `senderd init` writes are both generated from it.
 * Layers apply in this order: defaults, then the file, then `SENDERD_*` environment variables, then flags.
 */

const port = (value: number, what: string) =>
  z.number().int().min(0).max(65535).default(value).describe(`${what} (0 picks a free port).`);

/** A domain name, checked like every other (src/domains): the reason is the message. */
const domainName = z.string().superRefine((value, ctx) => {
  const parsed = normaliseDomainName(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
});

const label = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be one DNS label: a-z, 0-9 and inner hyphens');

const listen = (host: string, portValue: number, what: string) => ({
  enabled: z.boolean().default(true).describe(`Run the ${what} component on this node.`),
  host: z.string().min(1).default(host).describe(`Address the ${what} component listens on.`),
  port: port(portValue, `Port of the ${what} component`),
});

const duration = (value: string, what: string) =>
  z
    .string()
    .regex(DURATION_PATTERN, 'must be a duration such as 30d, 72h, 90s')
    .default(value)
    .describe(`${what} (a duration: 30d, 72h, 90s).`);
/** a.root-servers.net … m.root-servers.net (IPv4), from the IANA root hints. */
const IANA_ROOT_SERVERS = [
  '198.41.0.4',
  '170.247.170.2',
  '192.33.4.12',
  '199.7.91.13',
  '192.203.230.10',
  '192.5.5.241',
  '192.112.36.4',
  '198.97.190.53',
  '192.36.148.17',
  '192.58.128.30',
  '193.0.14.129',
  '199.7.83.42',
  '202.12.27.33',
];

/** An address or CIDR range allowed to transfer the zone. */
const secondaryAddress = z.ipv4().or(z.cidrv4()).or(z.ipv6()).or(z.cidrv6());

const serverAddress = z
  .string()
  .refine((s) => parseServerAddress(s) !== null, 'must be an IP address, optionally with :port ([v6]:port)');

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
      zone: domainName
        .default('mail.example.net')
        .describe('The platform zone Z, delegated to senderd by NS records. Hosted records live under it.'),
      nameservers: z
        .array(
          z.string().superRefine((value, ctx) => {
            // Relative to the zone, or absolute with a trailing dot (zone-file convention).
            const parsed = normaliseDomainName(value.endsWith('.') ? value : `${value}.invalid`);
            if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
          }),
        )
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
        .refine((selectors) => new Set(selectors).size === selectors.length, 'the selectors must differ')
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
        .array(secondaryAddress.or(z.strictObject({ address: secondaryAddress, key: z.string().min(1) })))
        .default([])
        .describe(
          'Addresses or CIDR ranges allowed to transfer the zone (AXFR/IXFR over TCP, RFC 5936); everyone else is refused. An entry {"address": "192.0.2.1", "key": "xfr-key"} must also sign its requests with that TSIG key (RFC 8945); NOTIFY to it is signed too.',
        ),
      tsigKeys: z
        .array(
          z.strictObject({
            name: z.string().min(1),
            algorithm: z.string().default('hmac-sha256'),
            secret: z.string().default(''),
            secretFile: z.string().default(''),
          }),
        )
        .default([])
        .describe(
          'TSIG keys (RFC 8945) for zone transfers and NOTIFY: {name, algorithm: hmac-sha256|hmac-sha384|hmac-sha512, secretFile} (a file holding the base64 secret) or {name, algorithm, secret} (the base64 secret inline). Make one with senderd dns tsig-keygen <name>.',
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

  dkim: z
    .strictObject({
      rotationPeriod: duration(
        '30d',
        'How long a generated DKIM key signs before the next one takes over (monthly).',
      ),
      leadTime: duration(
        '3d',
        'How long a new key is published before it may sign; at least twice platform.ttl. It also waits until a resolver sees it.',
      ),
      overlap: duration(
        '2d',
        'How long the previous key keeps co-signing beside the new one (two signatures).',
      ),
      retention: duration(
        '7d',
        'How long a key stays published after its last signature, so mail still in transit verifies.',
      ),
      agingThreshold: duration(
        '180d',
        'When an imported (customer-supplied) key has signed this long, the tenant gets an aging event.',
      ),
      ed25519: z
        .boolean()
        .default(false)
        .describe('Sign with an Ed25519 key beside the RSA key (RFC 8463) unless a domain says otherwise.'),
      rsaBits: z
        .union([z.literal(2048), z.literal(3072), z.literal(4096)])
        .default(2048)
        .describe('Modulus length of generated RSA keys (RFC 8301: at least 1024; 2048 recommended).'),
      ed25519Selectors: z
        .array(label)
        .length(3)
        .default(['ed1', 'ed2', 'ed3'])
        .describe('The three selectors of the Ed25519 series, for domains that enable it.'),
      scheduler: z.boolean().default(true).describe('Run the rotation scheduler on this node.'),
      checkInterval: duration('1m', 'How often the rotation scheduler looks at every domain.'),
    })
    .prefault({}),

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

  events: z
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
          enabled: z
            .boolean()
            .default(false)
            .describe('Send events by e-mail through the SMTP server below.'),
          host: z.string().default('127.0.0.1').describe('SMTP server for notification e-mail.'),
          port: port(25, 'SMTP port for notification e-mail'),
          secure: z
            .boolean()
            .default(false)
            .describe('Implicit TLS (port 465); otherwise STARTTLS when offered.'),
          user: z.string().default('').describe('SMTP user name; empty for none.'),
          password: z.string().default('').describe('SMTP password. Secret: redacted in logs.'),
          from: z
            .string()
            .default('')
            .describe('From address of notification e-mail. Empty means senderd@<platform.zone>.'),
        })
        .prefault({}),
    })
    .prefault({}),

  checks: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe(
          'Re-check the DNS of every sender domain periodically on this node (the checks scheduler).',
        ),
      interval: z
        .number()
        .int()
        .min(60)
        .max(7 * 86400)
        .default(3600)
        .describe('Seconds between two checks of a domain.'),
      jitter: z
        .number()
        .min(0)
        .max(0.5)
        .default(0.1)
        .describe(
          'Spread of the interval per domain, as a fraction (0.1 = ±10%), so checks do not bunch up.',
        ),
      concurrency: z.number().int().min(1).max(256).default(8).describe('Domains checked at once.'),
      timeoutMs: z
        .number()
        .int()
        .min(50)
        .max(30000)
        .default(2000)
        .describe(
          'Time to wait for each DNS answer, in milliseconds; no answer after every attempt is a temperror.',
        ),
      attempts: z.number().int().min(1).max(5).default(2).describe('UDP attempts per DNS question.'),
      recursiveView: z
        .boolean()
        .default(true)
        .describe(
          'Also check each record through resolvers.servers: what receivers see, with the TTL left in their caches.',
        ),
      rootServers: z
        .array(serverAddress)
        .min(1)
        .default(IANA_ROOT_SERVERS)
        .describe('Where the walk down the delegation starts: root server addresses (ip or ip:port).'),
      nameserverPort: port(53, 'Port of the authoritative servers found by following delegations')
        .refine((p) => p > 0, 'must be a port number')
        .describe('Port of the authoritative servers found by following delegations (53; tests change it).'),
    })
    .prefault({}),

  gateway: z
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
            .describe('Open connections per client address, over all listeners.'),
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
              password: z.string().default('').describe('AUTH PLAIN password. Secret: redacted in logs.'),
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
      postmasterMaildir: z
        .string()
        .default('')
        .describe(
          'Maildir that keeps mail to postmaster (RFC 5321 §4.5.1) at the reports, mx and bounce hosts and the zone, and to a bare <Postmaster>. Empty means <dataDir>/postmaster. Read it with any Maildir reader (mutt -f).',
        ),
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

  dashboard: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe('Serve the web dashboard from the HTTP component, on the same origin as the API.'),
      dir: z
        .string()
        .default('')
        .describe(
          'Directory of the built dashboard (index.html and assets/). Empty means web-dist/ in the installation, which npm start builds when it is missing or stale.',
        ),
      publicOrigin: z
        .string()
        .regex(/^(https?:\/\/[^/\s]+)?$/, 'must be an origin such as https://senderd.example.com (no path)')
        .default('')
        .describe(
          'The origin people open the dashboard at, when senderd is behind a proxy (https://senderd.example.com). State-changing requests from a browser must come from it; https here makes the session cookie Secure. Empty: the origin of each request.',
        ),
      sessionIdle: duration('2h', 'A session unused for this long ends'),
      sessionMaxAge: duration('12h', 'A session ends this long after sign-in, however active'),
      signInFailures: z
        .number()
        .int()
        .min(1)
        .default(5)
        .describe('Failed sign-ins allowed per e-mail address within signInWindow; then it waits.'),
      signInFailuresPerClient: z
        .number()
        .int()
        .min(1)
        .default(50)
        .describe('Failed sign-ins allowed per client address within signInWindow.'),
      signInWindow: duration('15m', 'The window in which failed sign-ins are counted'),
      setPasswordLinkTtl: duration(
        '72h',
        'How long a one-time set-password link (made by an owner for a new user) works, if it is not used first',
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
