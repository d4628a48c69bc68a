import { constants } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import { limitConnections } from '../connections/index.ts';
import type { Logger } from '../core/index.ts';
import type { RequestHead } from './request-handler.ts';
import type { EdgeResponse } from './route-table.ts';

/** The largest request body the edge reads (a one-click unsubscribe form is a few dozen bytes). */
const MAX_BODY_BYTES = 8192;
const EMPTY = Buffer.alloc(0);
const TOO_LARGE: EdgeResponse = {
  status: 413,
  headers: { 'content-type': 'text/plain; charset=utf-8', connection: 'close' },
  body: 'Content too large\n',
};

const REFUSAL_503 =
  'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 10\r\nContent-Type: text/plain\r\nContent-Length: 33\r\n\r\nToo many connections; try later.\n';

/**
 * The edge's two listeners, HTTP and HTTPS, over node:http and node:https. They turn a request into a
 * RequestHead, ask the handler, and write its answer; the TLS listener asks `sni` for each handshake's context.
 * A name without a certificate gets no context, so the handshake fails (an alert, no certificate shown): there
 * is no name a default certificate could honestly carry, and refusing costs no signature under hostile load.
 */

export interface EdgeTls {
  /** Offer session tickets (resumption); off makes every handshake a full one. */
  readonly sessionTickets: boolean;
}

export interface EdgeLimits {
  readonly maxHeaderBytes: number;
  readonly maxConnections: number;
  /** Per client address (an IPv4 address or an IPv6 /64), counted by src/connections like every listener's. */
  readonly maxConnectionsPerClient: number;
  readonly idleTimeoutMs: number;
  /** For the TLS handshake and for the request head. */
  readonly requestTimeoutMs: number;
}

export interface EdgeServerOptions {
  readonly host: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly limits: EdgeLimits;
  readonly tls: EdgeTls;
  readonly handle: (head: RequestHead) => EdgeResponse | Promise<EdgeResponse>;
  readonly sni: (servername: string) => SecureContext | Promise<SecureContext | null> | null;
  readonly log: Logger;
}

export interface EdgeListeners {
  readonly host: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  close(): Promise<void>;
}

export async function startEdgeServers(o: EdgeServerOptions): Promise<EdgeListeners> {
  const log = o.log.child({ component: 'edge' });
  const serve = (secure: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as TLSSocket;
    const servername =
      secure && typeof socket.servername === 'string' ? socket.servername.toLowerCase() : null;
    const method = req.method ?? 'GET';
    const head = (body: Buffer): RequestHead => ({
      method,
      target: req.url ?? '/',
      hostHeader: req.headers.host,
      secure,
      servername,
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress ?? '',
      body,
    });
    // Only a POST carries a body the edge reads (a one-click unsubscribe, RFC 8058 §3.1: a short form); it is
    // read whole, up to MAX_BODY_BYTES, before the route sees it. Any other body is drained unread.
    if (method !== 'POST') {
      answer(res, head(EMPTY));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.pause();
        res.shouldKeepAlive = false;
        write(res, method, TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size <= MAX_BODY_BYTES) answer(res, head(Buffer.concat(chunks)));
    });
  };
  const answer = (res: ServerResponse, head: RequestHead) => {
    try {
      const result = o.handle(head);
      if (result instanceof Promise)
        result.then(
          (r) => write(res, head.method, r),
          (error: unknown) => fail(res, error),
        );
      else write(res, head.method, result);
    } catch (error) {
      fail(res, error);
    }
  };
  const fail = (res: ServerResponse, error: unknown) => {
    log.warn({ err: error }, 'request failed');
    write(res, 'GET', {
      status: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'Internal error\n',
    });
  };
  const serverOptions = {
    maxHeaderSize: o.limits.maxHeaderBytes,
    headersTimeout: o.limits.requestTimeoutMs,
    requestTimeout: o.limits.requestTimeoutMs,
    keepAliveTimeout: o.limits.idleTimeoutMs,
    // Node looks for heads past their timeout every 30 s by default: a slow client would hold on that long.
    connectionsCheckingInterval: Math.max(250, Math.min(1000, o.limits.requestTimeoutMs / 4)),
  };
  const http = createHttpServer(serverOptions, serve(false));
  const https = createHttpsServer(
    {
      ...serverOptions,
      minVersion: 'TLSv1.2',
      // The options of the connection come from here, whatever context SNI picks later.
      secureOptions: o.tls.sessionTickets ? 0 : constants.SSL_OP_NO_TICKET,
      handshakeTimeout: o.limits.requestTimeoutMs,
      SNICallback: (servername, cb) => {
        try {
          const context = o.sni(servername.toLowerCase());
          if (context instanceof Promise)
            context.then(
              (c) => cb(null, c ?? undefined),
              (error: unknown) => {
                log.warn({ err: error, servername }, 'no TLS context');
                cb(null, undefined);
              },
            );
          else cb(null, context ?? undefined);
        } catch (error) {
          log.warn({ err: error, servername }, 'no TLS context');
          cb(null, undefined);
        }
      },
    },
    serve(true),
  );
  // Garbage, port scans and names without a certificate end here; they are counted by the client, not us.
  https.on('tlsClientError', (error: NodeJS.ErrnoException) =>
    log.debug({ code: error.code }, 'TLS handshake failed'),
  );
  const connections = {
    maxConnections: o.limits.maxConnections,
    maxConnectionsPerClient: o.limits.maxConnectionsPerClient,
  };
  // One client holding many connections cannot take the listener from the others. HTTP gets a 503 it can read;
  // a refusal on the TLS port would be bytes in clear text before a handshake, so that socket is just closed.
  limitConnections(http, {
    limits: connections,
    refusal: () => REFUSAL_503,
    onRefused: (refused) =>
      log.warn({ client: refused.client, reason: refused.reason, listener: 'http' }, 'connection refused'),
  });
  limitConnections(https, {
    limits: connections,
    refusal: () => '',
    onRefused: (refused) =>
      log.warn({ client: refused.client, reason: refused.reason, listener: 'https' }, 'connection refused'),
  });
  for (const server of [http, https]) {
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      // Node answers 400/408/431 itself where it can (an oversized head is 431); then the socket goes.
      log.debug({ code: error.code }, 'bad request');
      if (error.code === 'ECONNRESET' || !socket.writable) socket.destroy();
      else socket.end(statusLine(error.code));
    });
  }
  await Promise.all([listen(http, o.host, o.httpPort), listen(https, o.host, o.httpsPort)]);
  return {
    host: o.host,
    httpPort: (http.address() as AddressInfo).port,
    httpsPort: (https.address() as AddressInfo).port,
    async close() {
      await Promise.all([http, https].map(close));
    },
  };
}

function write(res: ServerResponse, method: string, r: EdgeResponse): void {
  if (res.headersSent) return;
  const body = r.body ?? '';
  const headers: string[] = ['content-length', String(Buffer.byteLength(body))];
  for (const [k, v] of Object.entries(r.headers ?? {})) headers.push(k, v);
  res.writeHead(r.status, headers);
  // RFC 9110 §9.3.2: a HEAD response carries the headers of the GET, and no content.
  if (method === 'HEAD' || body.length === 0) res.end();
  else res.end(body);
}

function statusLine(code: string | undefined): string {
  const status =
    code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : '400 Bad Request';
  return `HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
