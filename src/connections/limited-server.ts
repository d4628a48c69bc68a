import { ConnectionLimiter, type Admission, type ConnectionLimits } from './connection-limiter.ts';

/**
 * Puts a ConnectionLimiter in front of a listening server: node:net, node:tls, node:http and smtp-server's servers
 * all hand each new socket to their 'connection' listeners, so the limiter takes that event first and passes only
 * admitted sockets on. A refused socket gets the protocol's short refusal (HTTP 503, SMTP 421, nothing for DNS) and
 * is closed at once. The server's own `maxConnections` is set a little above the limit as a backstop: past it
 * node closes new sockets before any JavaScript runs, so a flood of refusals cannot itself use up descriptors.
 * Typed by shape, so this floor imports no socket module.
 */
export interface LimitedSocket {
  readonly remoteAddress?: string | undefined;
  once(event: 'close', listener: () => void): unknown;
  removeAllListeners(event?: string | symbol): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  end(data: string, callback: () => void): unknown;
  destroy(): unknown;
}

export interface LimitedServer {
  maxConnections: number;
  listeners(event: 'connection'): Function[]; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  removeAllListeners(event: 'connection'): unknown;
  on(event: 'connection', listener: (socket: LimitedSocket) => void): unknown;
}

/** Refused sockets a listener may hold while their refusal is written, above its limit. */
export const REFUSAL_ALLOWANCE = 32;

export interface LimitOptions {
  readonly limits: ConnectionLimits;
  /** The bytes a refused client is sent before the close (HTTP 503, SMTP 421), or '' for none. */
  readonly refusal: (reason: Exclude<Admission, { admitted: true }>['reason']) => string;
  /** Told of each refusal (for a log line or a metric); called at most once per second per reason. */
  readonly onRefused?: (admission: Exclude<Admission, { admitted: true }>) => void;
}

export function limitConnections(server: LimitedServer, options: LimitOptions): ConnectionLimiter {
  const limiter = new ConnectionLimiter(options.limits);
  const handlers = server.listeners('connection');
  server.removeAllListeners('connection');
  server.maxConnections = options.limits.maxConnections + REFUSAL_ALLOWANCE;
  const lastTold = new Map<string, number>();
  server.on('connection', (socket) => {
    const admission = limiter.admit(socket.remoteAddress ?? '');
    if (!admission.admitted) {
      socket.on('error', () => socket.destroy());
      const refusal = options.refusal(admission.reason);
      if (refusal === '') socket.destroy();
      else socket.end(refusal, () => socket.destroy());
      const now = Date.now();
      if (options.onRefused !== undefined && now - (lastTold.get(admission.reason) ?? 0) >= 1000) {
        lastTold.set(admission.reason, now);
        options.onRefused(admission);
      }
      return;
    }
    const release = () => admission.release();
    socket.once('close', release);
    // smtp-server's STARTTLS (its upgrade) removes every listener from the plain socket before wrapping it in TLS;
    // the plain socket still closes with the TLS one, so the release goes back on, or the slot would never come
    // back and the client's address would be shut out after maxConnectionsPerClient such sessions.
    const removeAll = socket.removeAllListeners.bind(socket);
    socket.removeAllListeners = (event?: string | symbol) => {
      const result = removeAll(event);
      if (event === undefined || event === 'close') socket.once('close', release);
      return result;
    };
    for (const handler of handlers) handler.call(server, socket);
  });
  return limiter;
}
