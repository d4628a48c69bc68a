import { createSocket, type Socket } from 'node:dgram';
import { parseIp } from '../ip/index.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { QueryCounters } from './query-counters.ts';
import type { Responder } from './responder.ts';

/**
 * The UDP edge: receive a datagram, hand it to the responder, send the chunks back as one datagram. Socket
 * buffers of 4 MiB absorb bursts (MEASURED.md: about 125 queries are lost in the opening burst without them).
 */
export interface UdpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly responder: Responder;
  readonly limiter?: RateLimiter | undefined;
  /** Where this socket counts its queries (for /metrics). */
  readonly counters?: QueryCounters | undefined;
  /** SO_REUSEPORT, so several threads can each bind their own socket to the same port. */
  readonly reusePort?: boolean;
  readonly bufferSize?: number;
  readonly onError: (error: Error) => void;
}

export interface UdpServer {
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

type Lookup = (
  address: string,
  family: unknown,
  callback: (error: Error | null, address: string, family: number) => void,
) => void;

/**
 * Addresses given to send() are always the literal IPs of the socket's own family: answer the lookup at once,
 * without dns.lookup's extra tick per datagram.
 */
const literalLookup =
  (family: 4 | 6): Lookup =>
  (address, _family, callback) =>
    callback(null, address, family);

export function listenUdp(options: UdpServerOptions): Promise<UdpServer> {
  const bufferSize = options.bufferSize ?? 4 * 1024 * 1024;
  const v6 = parseIp(options.host)?.family === 6;
  const socket: Socket = createSocket({
    type: v6 ? 'udp6' : 'udp4',
    reuseAddr: options.reusePort === true,
    reusePort: options.reusePort === true,
    recvBufferSize: bufferSize,
    sendBufferSize: bufferSize,
    lookup: literalLookup(v6 ? 6 : 4),
  });
  const { responder, limiter, counters } = options;
  socket.on('message', (msg, rinfo) => {
    // Port 0 cannot be answered (and Node refuses to send to it): a spoofed source, dropped.
    if (rinfo.port === 0) return;
    let reply;
    if (limiter !== undefined) {
      const decision = limiter.decide(rinfo.address);
      if (decision === 'drop') return counters?.record('udp', null);
      reply = decision === 'slip' ? responder.slip(msg) : responder.answer(msg, 'udp', rinfo.address);
    } else {
      reply = responder.answer(msg, 'udp', rinfo.address);
    }
    counters?.record('udp', reply);
    if (Array.isArray(reply)) socket.send(reply, rinfo.port, rinfo.address);
  });
  socket.on('error', options.onError);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: options.host, port: options.port, exclusive: true }, () => {
      socket.off('error', reject);
      const bound = socket.address();
      resolve({
        port: bound.port,
        address: bound.address,
        close: () => new Promise<void>((done) => socket.close(() => done())),
      });
    });
  });
}
