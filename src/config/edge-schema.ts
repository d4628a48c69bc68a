import { z } from 'zod';
import { duration, port } from './schema-fields.ts';

/**
 * `edge`: the customer-facing host (clicks.<domain>) over HTTP and HTTPS, and the ACME scheduler that gets its
 * certificates (docs/edge.md).
 */
export const edgeSection = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        "Run the edge on this node: the customers' own host names (clicks.<domain>) over HTTP and HTTPS, with certificates chosen by SNI from the store.",
      ),
    host: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('Address the edge listens on (0.0.0.0 or :: to serve the internet).'),
    httpPort: port(
      8081,
      'HTTP port of the edge: 80 in production (ACME HTTP-01 challenges arrive there, RFC 8555 §8.3)',
    ),
    httpsPort: port(8443, 'HTTPS port of the edge: 443 in production'),
    maxHeaderBytes: z
      .number()
      .int()
      .min(1024)
      .max(65536)
      .default(8192)
      .describe('Largest request head (request line and header fields) accepted; larger gets 431.'),
    maxConnections: z
      .number()
      .int()
      .min(1)
      .default(10000)
      .describe('Open connections per listener; more are refused.'),
    maxConnectionsPerIp: z
      .number()
      .int()
      .min(1)
      .default(256)
      .describe(
        'Connections one client (an IPv4 address or an IPv6 /64) holds open at once on each edge listener; more get 503 (HTTP) or are closed (HTTPS). Behind a load balancer that hides client addresses, raise it to maxConnections.',
      ),
    idleTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .default(5)
      .describe('A kept-alive connection with no new request is closed after this many seconds.'),
    requestTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Time for a TLS handshake, and for the whole request head, before the connection is closed.'),
    sessionTickets: z
      .boolean()
      .default(true)
      .describe(
        'Offer TLS session tickets (RFC 8446 §4.6.1), so a returning client resumes without a full handshake. Each node has its own ticket keys, made at start.',
      ),
    pollIntervalMs: z
      .number()
      .int()
      .min(50)
      .max(60000)
      .default(1000)
      .describe(
        'How often the edge looks for changed hosts and certificates in the store (other nodes see a new certificate within about this long).',
      ),
    acme: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            'Order and renew the certificates of customer host names (ACME, RFC 8555, HTTP-01) from this node. Several nodes may: a lease in the store lets one work on a host at a time.',
          ),
        directoryUrl: z
          .url({ protocol: /^https?$/ })
          .default('https://acme-v02.api.letsencrypt.org/directory')
          .describe(
            "The ACME CA's directory. Let's Encrypt production: https://acme-v02.api.letsencrypt.org/directory; staging (untrusted certificates, higher limits, for trying things out): https://acme-staging-v02.api.letsencrypt.org/directory. Using a CA means agreeing to its terms of service.",
          ),
        email: z
          .string()
          .default('')
          .describe('Contact address of the ACME account (optional; the CA may write about problems).'),
        caFile: z
          .string()
          .default('')
          .describe(
            "A PEM file of extra root certificates trusted for the CA's own HTTPS, beside the system's: for a test or private CA such as Pebble.",
          ),
        keyType: z
          .enum(['ecdsa-p256', 'ecdsa-p384', 'rsa-2048'])
          .default('ecdsa-p256')
          .describe('Key type of new certificates (the ACME account key is always ECDSA P-256, ES256).'),
        checkInterval: duration('1m', 'How often the ACME scheduler looks for hosts to order or renew'),
        concurrency: z
          .number()
          .int()
          .min(1)
          .max(32)
          .default(4)
          .describe('Hosts ordered at once by this node.'),
        retryBase: duration(
          '15m',
          'Wait after a failed order before the next one; each further failure waits twice as long',
        ),
        retryMax: duration('24h', 'Longest wait between two failed orders'),
        maxOrdersPerHour: z
          .number()
          .int()
          .min(1)
          .default(100)
          .describe(
            "New orders per hour over all nodes; beyond it orders wait (Let's Encrypt allows 300 per account per 3 hours).",
          ),
        requestTimeout: duration('30s', 'Time limit of one request to the CA'),
      })
      .prefault({}),
    mtaSts: z
      .strictObject({
        maxAgeTesting: duration(
          '1d',
          "max_age of a domain's MTA-STS policy in testing mode (RFC 8461 §3.2): how long senders keep it",
        ),
        maxAgeEnforce: duration(
          '7d',
          "max_age of a domain's MTA-STS policy in enforce mode (RFC 8461 §3.2; at most 31557600 s): weeks are usual",
        ),
        evidenceDays: z
          .number()
          .int()
          .min(1)
          .max(90)
          .default(14)
          .describe(
            'Days of TLS reports (RFC 8460) that must show no failed sessions before MTA-STS may move to enforce without force.',
          ),
        checkInterval: duration(
          '6h',
          'How often the MX hosts of domains with MTA-STS are looked up again (an MX host outside the policy raises an event)',
        ),
      })
      .prefault({}),
  })
  .prefault({});
