import { createServer, type Server, type Socket } from 'node:net';
import { limitConnections, type ConnectionLimits } from '../connections/index.ts';
import type { Responder } from './responder.ts';

/**
 * The TCP edge (RFC 7766): messages framed by a 2-octet length, several queries per connection answered as
 * they arrive (pipelining, §6.2.1.1), an idle timeout (§6.2.3), caps on connections overall and per client, and reads paused while a
 * client is not reading its answers, so a slow reader cannot make us buffer without bound.
 */
export interface TcpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly responder: Responder;
  readonly idleTimeoutMs: number;
  /** Overall and per client (src/connections): one client's idle connections cannot starve the others. */
  readonly limits: ConnectionLimits;
  readonly onError: (error: Error) => void;
  readonly onTransfer?: (client: string, messages: number) => void;
}

export interface TcpServer {
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

/** Answers queued for one client beyond this many bytes pause reading from it until it drains. */
const MAX_PENDING_OUTPUT = 1024 * 1024;

export function listenTcp(options: TcpServerOptions): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, options);
  });
  // RFC 7766 §6.2.2: a server may close connections to free resources; a refused client is closed unanswered.
  limitConnections(server, { limits: options.limits, refusal: () => '' });
  server.on('error', options.onError);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      const bound = server.address();
      if (bound === null || typeof bound === 'string') throw new Error('TCP server has no address');
      resolve({
        port: bound.port,
        address: bound.address,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}

function serveConnection(socket: Socket, options: TcpServerOptions): void {
  const client = socket.remoteAddress ?? '';
  let pending: Buffer = Buffer.alloc(0);
  socket.setTimeout(options.idleTimeoutMs, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('drain', () => socket.resume());
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    while (pending.length - offset >= 2) {
      const length = pending.readUInt16BE(offset);
      if (pending.length - offset - 2 < length) break;
      // A copy: the responder rewrites the message in place into the answer.
      const msg = Buffer.from(pending.subarray(offset + 2, offset + 2 + length));
      offset += 2 + length;
      if (!answer(socket, msg, client, options)) {
        socket.destroy();
        return;
      }
    }
    pending = offset === 0 ? pending : pending.subarray(offset);
    if (socket.writableLength > MAX_PENDING_OUTPUT) socket.pause();
  });
}

/** Writes the answer to one framed message; false means the connection should be closed. */
function answer(socket: Socket, msg: Buffer, client: string, options: TcpServerOptions): boolean {
  const reply = options.responder.answer(msg, 'tcp', client);
  if (reply === null) return false; // not a query: a peer that sends those gets no more of our time
  if (Array.isArray(reply)) {
    socket.write(frame(reply));
    return true;
  }
  socket.cork();
  for (const m of reply.transfer) socket.write(frame([m]));
  socket.uncork();
  options.onTransfer?.(client, reply.transfer.length);
  return true;
}

function frame(chunks: readonly Buffer[]): Buffer {
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = Buffer.allocUnsafe(2 + length);
  out.writeUInt16BE(length, 0);
  let at = 2;
  for (const c of chunks) {
    c.copy(out, at);
    at += c.length;
  }
  return out;
}
