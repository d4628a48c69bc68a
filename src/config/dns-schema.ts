import { z } from 'zod';
import { listen, port, secret } from './schema-fields.ts';

/** An address or CIDR range allowed to transfer the zone. */
const secondaryAddress = z.ipv4().or(z.cidrv4()).or(z.ipv6()).or(z.cidrv6());

/** `dns`: the authoritative server of the platform zone, its secondaries, TSIG keys and limits. */
export const dnsSection = z
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
          secret: secret(
            z
              .string()
              .default('')
              .describe('The base64 TSIG secret. Secret: redacted in logs and `config show`.'),
          ),
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
    soaRetry: z.number().int().min(10).default(600).describe('SOA RETRY: seconds between failed refreshes.'),
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
    tcpMaxConnectionsPerIp: z
      .number()
      .int()
      .min(1)
      .default(32)
      .describe(
        'Most TCP connections one client (an IPv4 address or an IPv6 /64) holds at once; more are closed unanswered (RFC 7766 §6.2.2).',
      ),
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
    journalMaxBytes: z
      .number()
      .int()
      .min(0)
      .default(64 * 1024 * 1024)
      .describe(
        'Size bound of the IXFR journal kept in the store (RFC 1995): the oldest differences are dropped beyond it, and a secondary older than the journal gets the whole zone. 0 keeps no journal (every IXFR gets the whole zone).',
      ),
    journalMaxAgeSeconds: z
      .number()
      .int()
      .min(60)
      .default(14 * 24 * 3600)
      .describe(
        'Age bound of the IXFR journal: differences older than this are dropped (the default is the default SOA EXPIRE, after which a secondary stops serving the zone anyway).',
      ),
  })
  .prefault({});
