import { z } from 'zod';
import { port, serverAddress } from './schema-fields.ts';

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

/** `checks`: the periodic diagnosis of every sender domain's DNS, from the root down. */
export const checksSection = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('Re-check the DNS of every sender domain periodically on this node (the checks scheduler).'),
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
      .describe('Spread of the interval per domain, as a fraction (0.1 = ±10%), so checks do not bunch up.'),
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
    allowPrivateApplyServers: z
      .boolean()
      .default(false)
      .describe(
        "Let `POST /v1/domains/{domain}/dns-apply` (the API and the wizard) send RFC 2136 updates to private, loopback, link-local and reserved addresses. Off: a tenant cannot make senderd send DNS messages into the operator's own network. The senderd CLI on the node may always.",
      ),
    nameserverPort: port(53, 'Port of the authoritative servers found by following delegations')
      .refine((p) => p > 0, 'must be a port number')
      .describe('Port of the authoritative servers found by following delegations (53; tests change it).'),
  })
  .prefault({});
