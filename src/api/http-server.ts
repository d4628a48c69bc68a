import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { limitConnections, type ConnectionLimits } from '../connections/index.ts';
import type { Logger } from '../core/index.ts';

export interface HttpListener {
  readonly port: number;
  readonly host: string;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then closes what is left. */
  close(graceMs?: number): Promise<void>;
}

export interface HttpLimits {
  readonly connections: ConnectionLimits;
  /** Time a client has to send a request's whole head; a slow-header client is closed after it (408). */
  readonly headersTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  connections: { maxConnections: 1000, maxConnectionsPerClient: 64 },
  headersTimeoutMs: 10_000,
};

/** RFC 9110 §15.6.4: 503 with Retry-After, then the close; the client is told, not reset. */
const REFUSAL =
  'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 10\r\nContent-Type: text/plain\r\nContent-Length: 33\r\n\r\nToo many connections; try later.\n';

export function listenHttp(
  app: Pick<Hono, 'fetch'>,
  host: string,
  port: number,
  limits: HttpLimits = DEFAULT_HTTP_LIMITS,
  log?: Logger,
): Promise<HttpListener> {
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: app.fetch,
      hostname: host,
      port,
      serverOptions: {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: Math.max(limits.headersTimeoutMs, 300_000),
        // Node checks the two timeouts above on this period; its default (30 s) would let a slow-header client
        // hold its connection three times longer than it was told.
        connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
      },
    }) as Server;
    limitConnections(server, {
      limits: limits.connections,
      refusal: () => REFUSAL,
      onRefused: (refused) =>
        log?.warn(
          { component: 'http', client: refused.client, reason: refused.reason },
          'connection refused',
        ),
    });
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      resolve({
        port: address.port,
        host: address.address,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(force);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
